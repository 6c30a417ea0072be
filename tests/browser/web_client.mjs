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

// Logging in someone registered already (through the server's API, say).
export async function logInInPage(page, username) {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', `${username}-password`);
  await page.click('button[value=login]');
  await expect(page.locator('#me-name')).toBeVisible();
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

// Starting conversations goes through the "New conversation" dialog.
export async function openDirect(page, username) {
  await page.click('#new-conversation-open');
  await page.fill('#direct-username', username);
  await page.click('#new-conversation form.new-direct button');
}

export async function createGroup(page, name, usernames = '') {
  await page.click('#new-conversation-open');
  await page.fill('#group-name', name);
  await page.fill('#group-members', usernames);
  await page.click('#new-conversation form.new-group button');
}

// A file chosen with the Attach button waits in the composer, with its preview, until Send.
export async function attachAndSend(page, file) {
  await page.locator('#attach-file').setInputFiles(file);
  await expect(page.locator('#attach-preview')).toBeVisible();
  await page.click('#send');
}
