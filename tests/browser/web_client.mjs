// What the browser tests share: how Chromium is started, and the web client's controls.
import { expect } from './expect.mjs';

// Debian's chromium, driven without the downloads Playwright would otherwise want, and without
// the background traffic (updates, sync, QUIC probes) that a closed network refuses.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function registerInPage(page, username, displayName) {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', `${username}-password`);
  await page.fill('input[name=display_name]', displayName);
  await page.click('button[value=register]');
  await expect(page.locator('#me-name')).toHaveText(displayName);
}

export function roomItem(page, title) {
  return page.locator('#rooms li.room', { has: page.locator('.title', { hasText: title }) });
}

export function messageItem(page, text) {
  return page.locator('#messages li.message', { has: page.locator('.text', { hasText: text }) });
}

export async function send(page, text) {
  await page.fill('#composer-text', text);
  await page.press('#composer-text', 'Enter');
}
