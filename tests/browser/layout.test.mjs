// The web client's layout and accessibility at a desktop size (1280x800) and a phone size
// (390x844), against a real parleyd: one pane at a time on the phone with a way back, no
// sideways scrolling, a usable composer, the newest message kept in view when an image loads,
// axe-core finding no violations, and the pieces built for them: the new-conversation dialog,
// a file waiting in the composer with its caption (chosen, pasted or dropped), delivery ticks,
// a group's read-by list, confirmations, the unread count in the title, notifications while
// the tab is hidden, and an honest offline banner. Ann uses the desktop, Ben the phone; the
// tests run in order and build on each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { expect } from './expect.mjs';
import { Parleyd } from './parleyd.mjs';
import { CHROMIUM_ARGS, logInInPage, roomItem, messageItem, send, openDirect, createGroup } from './web_client.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.PARLEY_ARTIFACTS_DIR || join(here, '..', '..', 'build', 'test-artifacts');
const shots = join(artifacts, 'browser-layout');
mkdirSync(shots, { recursive: true });
// axe-core is run in the page through DevTools' evaluate rather than a <script> tag, which the
// server's Content-Security-Policy (script-src 'self') rightly refuses; the policy stays on.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const server = new Parleyd(shots);
let browser;
let ann; // desktop page
let ben; // phone page
let annContext;

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

// Records whether the offline banner was ever shown, from the first moment of every load, and
// lets a test say the tab is hidden (headless Chromium's tabs are always visible).
function watchPage() {
  window.bannerWasShown = false;
  new MutationObserver(() => {
    const banner = document.getElementById('offline-banner');
    if (banner && !banner.hidden) window.bannerWasShown = true;
  }).observe(document, { subtree: true, childList: true, attributes: true });
  window.tabHidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { get: () => (window.tabHidden ? 'hidden' : 'visible') });
}

async function openPage(context, name) {
  await context.addInitScript(watchPage);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${name}] page error:`, err));
  await page.goto(`${server.url}/`);
  return page;
}

async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ['violations'] });
    return violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

async function assertAccessible(page, what) {
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${what}`);
}

async function assertNoSidewaysScroll(page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    clientWidth: document.scrollingElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `no sideways scroll (scrollWidth ${scrollWidth}, clientWidth ${clientWidth})`);
}

async function assertComposerUsable(page) {
  const box = await page.locator('#composer-text').boundingBox();
  assert.ok(box && box.width >= 250, `the text box is at least 250 px wide (got ${box?.width})`);
  const send = await page.locator('#send').boundingBox();
  const width = page.viewportSize().width;
  assert.ok(send && send.x >= 0 && send.x + send.width <= width, 'Send is on the screen');
}

// The last message's box lies within the message list's visible box.
async function assertNewestVisible(page) {
  const list = await page.locator('#messages').boundingBox();
  const last = await page.locator('#messages li.message').last().boundingBox();
  assert.ok(list && last, 'the list and its last message are laid out');
  assert.ok(last.y >= list.y - 1 && last.y + last.height <= list.y + list.height + 1, `the newest message is in view (list ${JSON.stringify(list)}, last ${JSON.stringify(last)})`);
}

// A PNG of the given size, drawn by the browser (a real image, as the server checks its bytes).
async function pngOf(page, width, height) {
  const base64 = await page.evaluate(([w, h]) => {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const g = canvas.getContext('2d');
    g.fillStyle = '#3a7';
    g.fillRect(0, 0, w, h);
    return canvas.toDataURL('image/png').split(',')[1];
  }, [width, height]);
  return Buffer.from(base64, 'base64');
}

// Hands the page a file as a paste into the text box, or a drop on the chat.
function pasteOrDrop(page, how, name, bytes) {
  return page.evaluate(([kind, fileName, data]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], fileName, { type: 'image/png' }));
    if (kind === 'paste') {
      document.getElementById('composer-text').dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    } else {
      const chat = document.querySelector('.chat');
      chat.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      chat.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, [how, name, [...bytes]]);
}

const imageOf = (page, text) => messageItem(page, text).locator('img.preview');
const loaded = (img) => img.evaluate((el) => el.complete && el.naturalWidth);

before(async () => {
  await server.start();
  await server.register('ann', 'Ann');
  await server.register('ben', 'Ben');
  await server.register('cal', 'Cal');
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  annContext = await browser.newContext(DESKTOP);
  await annContext.grantPermissions(['notifications'], { origin: server.url });
  ann = await openPage(annContext, 'ann');
  ben = await openPage(await browser.newContext(PHONE), 'ben');
});

after(async () => {
  if (browser) await browser.close();
  await server.dispose();
});

test('the login view fits the phone and passes axe-core; a normal load shows no offline banner', async () => {
  await expect(ben.locator('form.login')).toBeVisible();
  await assertNoSidewaysScroll(ben);
  await assertAccessible(ben, 'the login view (phone)');
  await assertAccessible(ann, 'the login view (desktop)');
  // The tab's icon is part of the page: nothing to fetch.
  assert.match(await ann.locator('link[rel=icon]').getAttribute('href'), /^data:image\/svg\+xml,/);

  await logInInPage(ann, 'ann');
  // A load with the saved login: connected, and the banner never appeared on the way.
  await ann.reload();
  await expect(ann.locator('#me-name')).toHaveText('Ann');
  await expect(ann.locator('body.offline')).toHaveCount(0);
  await expect(ann.locator('#new-conversation-open')).toBeVisible();
  assert.equal(await ann.evaluate(() => window.bannerWasShown), false);
});

test('the new-conversation dialog: opened by its button, Escape closes it, then it starts a room', async () => {
  const dialog = ann.locator('#new-conversation');
  await ann.click('#new-conversation-open');
  await expect(dialog).toBeVisible();
  assert.equal(await ann.evaluate(() => document.activeElement.id), 'direct-username');
  await assertAccessible(ann, 'the new-conversation dialog');
  await ann.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  assert.equal(await ann.evaluate(() => document.activeElement.id), 'new-conversation-open');

  await openDirect(ann, 'ben');
  await expect(dialog).toBeHidden();
  await expect(ann.locator('#chat-title')).toHaveText('Ben');
});

test('ticks go sent, delivered, read, with their words; the phone shows one pane at a time; the title counts unread', async () => {
  // Ben has no page open: the message is only sent.
  await send(ann, 'hello ben');
  const status = messageItem(ann, 'hello ben').locator('.status');
  await expect(status).toHaveAttribute('aria-label', 'Sent');

  await logInInPage(ben, 'ben');
  await expect(status).toHaveAttribute('aria-label', 'Delivered');
  await expect(roomItem(ben, 'Ann').locator('.unread')).toHaveText('1');
  assert.equal(await ben.title(), '(1) Parley');
  // The phone shows the list alone.
  await expect(ben.locator('.sidebar')).toBeVisible();
  await expect(ben.locator('.main')).toBeHidden();
  await assertNoSidewaysScroll(ben);
  await assertAccessible(ben, 'the room list (phone)');
  await ben.screenshot({ path: join(shots, 'phone-rooms.png') });

  await roomItem(ben, 'Ann').click();
  await expect(messageItem(ben, 'hello ben')).toBeVisible();
  await expect(ben.locator('.sidebar')).toBeHidden();
  await expect(status).toHaveAttribute('aria-label', 'Read');
  await expect.poll(() => ben.title()).toBe('Parley');
  // Names are for groups: between two people none is shown, though screen readers hear it.
  await expect(messageItem(ben, 'hello ben').locator('.sender.visually-hidden')).toHaveText('Ann');

  // Back to the list, and in again.
  await ben.click('#back');
  await expect(ben.locator('.sidebar')).toBeVisible();
  await expect(ben.locator('.chat')).toBeHidden();
  await roomItem(ben, 'Ann').click();
  await expect(ben.locator('#chat-title')).toHaveText('Ann');
});

test('a file waits in the composer with its preview and caption; the newest message stays in view after an image', async () => {
  const photo = await pngOf(ann, 640, 480);
  await ann.locator('#attach-file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo });
  await expect(ann.locator('#attach-preview img.thumbnail')).toBeVisible();
  await expect(ann.locator('#attach-preview')).toHaveText(/photo\.png/);
  await ann.fill('#composer-text', 'a green field');
  await ann.click('#send');
  await expect(ann.locator('#attach-preview')).toBeHidden();
  await expect.poll(() => loaded(imageOf(ben, 'a green field'))).toBe(640);
  // The size came with the message: the box was kept before the bytes arrived.
  await expect(imageOf(ben, 'a green field')).toHaveAttribute('width', '640');

  await send(ann, 'after the picture');
  await expect(messageItem(ben, 'after the picture')).toBeVisible();
  await assertNewestVisible(ben);
  await expect(messageItem(ann, 'after the picture')).toBeVisible();
  await assertNewestVisible(ann);

  // Pasted, then dropped: each waits in the composer the same way.
  await pasteOrDrop(ann, 'paste', 'pasted.png', await pngOf(ann, 300, 200));
  await expect(ann.locator('#attach-preview')).toHaveText(/pasted\.png/);
  await ann.fill('#composer-text', 'pasted in');
  await ann.press('#composer-text', 'Enter');
  await expect.poll(() => loaded(imageOf(ben, 'pasted in'))).toBe(300);
  await pasteOrDrop(ann, 'drop', 'dropped.png', await pngOf(ann, 200, 300));
  await expect(ann.locator('#attach-preview')).toHaveText(/dropped\.png/);
  await ann.fill('#composer-text', 'dropped in');
  await ann.click('#send');
  await expect.poll(() => loaded(imageOf(ben, 'dropped in'))).toBe(200);
  await send(ben, 'nice pictures');
  await expect(messageItem(ann, 'nice pictures')).toBeVisible();
  await assertNewestVisible(ben);
  await assertNewestVisible(ann);

  for (const page of [ann, ben]) {
    await assertNoSidewaysScroll(page);
    await assertComposerUsable(page);
    await assertAccessible(page, `an open chat (${page.viewportSize().width} px)`);
  }
  await ann.screenshot({ path: join(shots, 'desktop-chat.png') });
  await ben.screenshot({ path: join(shots, 'phone-chat.png') });
});

test('a group: who has read a message, a notification and the title while the tab is hidden, Leave asks first', async () => {
  await createGroup(ann, 'Trio', 'ben, cal');
  await expect(ann.locator('#chat-title')).toHaveText('Trio');
  await send(ann, 'hello trio');
  await ben.click('#back');
  await roomItem(ben, 'Trio').click();
  await expect(messageItem(ben, 'hello trio')).toBeVisible();

  const tick = messageItem(ann, 'hello trio').locator('button.status');
  await expect(tick).toHaveAttribute('aria-label', /^(Delivered|Sent)/);
  await tick.click();
  await expect(messageItem(ann, 'hello trio').locator('.read-by-read')).toHaveText('Read by Ben');
  await expect(tick).toHaveAttribute('aria-expanded', 'true');
  await assertAccessible(ann, 'a group with its read-by list');

  // Ann's tab is hidden: Ben's message is unread, counted in the title, and notified.
  await ann.evaluate(() => (window.tabHidden = true));
  await send(ben, 'are you there?');
  await expect.poll(() => ann.title()).toBe('(1) Parley');
  const notifications = () =>
    ann.evaluate(async () => {
      const list = await (await navigator.serviceWorker.ready).getNotifications();
      return JSON.stringify(list.map((n) => ({ title: n.title, body: n.body })));
    });
  // Chromium now and then loses a notification shown while its service worker is starting
  // (about one run in six, the push test's DevTools delivery too): Ben asks again after a few
  // seconds without one. The same tag replaces, so one notification is all there is.
  const expected = JSON.stringify([{ title: 'Ben in Trio', body: 'are you there?' }]);
  let asked = Date.now();
  await expect
    .poll(async () => {
      const seen = await notifications();
      if (seen === '[]' && Date.now() - asked > 4000) {
        asked = Date.now();
        await send(ben, 'are you there?');
      }
      return seen;
    }, { timeout: 30000 })
    .toBe(expected);
  await ann.evaluate(() => {
    window.tabHidden = false;
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect.poll(() => ann.title()).toBe('Parley');

  // Leaving: cancelled first, then done.
  await ben.click('#members-toggle');
  await ben.click('#leave-group');
  await expect(ben.locator('dialog.confirm')).toBeVisible();
  await assertAccessible(ben, 'the Leave confirmation (phone)');
  await ben.screenshot({ path: join(shots, 'phone-leave.png') });
  await ben.click('dialog.confirm >> text=Cancel');
  await expect(ben.locator('dialog.confirm')).toHaveCount(0);
  await expect(ben.locator('#chat-title')).toHaveText('Trio');
  await ben.click('#leave-group');
  await ben.click('dialog.confirm .confirm-accept');
  await expect(roomItem(ben, 'Trio')).toHaveCount(0);
  await expect(ben.locator('.sidebar')).toBeVisible();
});

test('going offline shows the banner and leaves peers unknown, not offline', async () => {
  await roomItem(ann, 'Ben').click();
  await expect(ann.locator('#chat-presence')).toHaveText('online');
  await expect(ann.locator('#offline-banner')).toBeHidden();

  await annContext.setOffline(true);
  await expect(ann.locator('#offline-banner')).toBeVisible();
  await expect(ann.locator('#chat-presence')).toHaveText(/unknown/);
  await expect(roomItem(ann, 'Ben').locator('.dot')).toHaveClass(/\bunknown\b/);
  // The banner took room from the list: its newest message is still in view.
  await assertNewestVisible(ann);
  await ann.screenshot({ path: join(shots, 'desktop-offline.png') });

  await annContext.setOffline(false);
  await expect(ann.locator('#offline-banner')).toBeHidden();
  await expect(ann.locator('#chat-presence')).toHaveText('online');
});
