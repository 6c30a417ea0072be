// The web client in Chromium against a real parleyd: two people, alice and bob, each in their
// own browser context (their own storage, their own connection). The tests run in order and
// build on each other: register, a direct room, live messages, typing, read status, history,
// messages and a file written while the server is down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { expect } from './expect.mjs';
import { Parleyd } from './parleyd.mjs';
import { CHROMIUM_ARGS, registerInPage, roomItem, messageItem, send, openDirect, createGroup, attachAndSend } from './web_client.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.PARLEY_ARTIFACTS_DIR || join(here, '..', '..', 'build', 'test-artifacts');
const shots = join(artifacts, 'browser');
mkdirSync(shots, { recursive: true });


const server = new Parleyd(join(artifacts, 'browser'));
let browser;
const people = {}; // name -> {context, page}
const foreignRequests = []; // anything the page tries to load from outside the loopback server

async function openAs(name) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  return openPage(context, name);
}

// A new page in the person's context: the same storage, as after closing the tab and opening
// the app again.
async function openPage(context, name) {
  const page = await context.newPage();
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) foreignRequests.push(req.url());
  });
  page.on('pageerror', (err) => console.error(`[${name}] page error:`, err));
  await page.goto(`${server.url}/`);
  people[name] = { context, page };
  return page;
}


before(async () => {
  await server.start();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  if (browser) await browser.close();
  await server.dispose();
});

test('the page is served by parleyd and nothing comes from elsewhere', async () => {
  const page = await openAs('alice');
  await expect(page.locator('form.login')).toBeVisible();
  const res = await page.request.get(`${server.url}/app.js`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /javascript/);
  assert.deepEqual(foreignRequests, []);
});

test('register, log out and log in again', async () => {
  await registerInPage(people.alice.page, 'alice', 'Alice');
  const bob = await openAs('bob');
  await registerInPage(bob, 'bob', 'Bob');

  await bob.click('text=Log out');
  await expect(bob.locator('form.login')).toBeVisible();
  await bob.fill('input[name=username]', 'bob');
  await bob.fill('input[name=password]', 'wrong-password');
  await bob.click('button[value=login]');
  await expect(bob.locator('form.login .error')).not.toHaveText('');
  await bob.fill('input[name=password]', 'bob-password');
  await bob.click('button[value=login]');
  await expect(bob.locator('#me-name')).toHaveText('Bob');
});

test('a direct room: unread count, then read status once bob opens it', async () => {
  const alice = people.alice.page;
  const bob = people.bob.page;
  await openDirect(alice, 'bob');
  await expect(alice.locator('#chat-title')).toHaveText('Bob');
  // Bob sees the room appear by itself.
  await expect(roomItem(bob, 'Alice')).toBeVisible();

  await send(alice, 'first hello');
  // Bob's client is online, so the message reaches it and is acknowledged as delivered...
  await expect(messageItem(alice, 'first hello')).toHaveAttribute('data-status', 'delivered');
  // ...but he has not opened the room: it is unread.
  await expect(roomItem(bob, 'Alice').locator('.unread')).toHaveText('1');

  await roomItem(bob, 'Alice').click();
  await expect(messageItem(bob, 'first hello')).toBeVisible();
  await expect(roomItem(bob, 'Alice').locator('.unread')).toHaveCount(0);
  await expect(messageItem(alice, 'first hello')).toHaveAttribute('data-status', 'read');
  await expect(messageItem(alice, 'first hello').locator('.status')).toHaveAttribute('aria-label', 'Read');

  // Presence comes with each connection's snapshot: after a reload, each sees the other online.
  await bob.reload();
  await expect(roomItem(bob, 'Alice').locator('.dot')).toHaveClass(/\bonline\b/);
  await expect(roomItem(alice, 'Bob').locator('.dot')).toHaveClass(/\bonline\b/);
  await expect(alice.locator('#chat-presence')).toHaveText('online');
  await roomItem(bob, 'Alice').click();
  await expect(messageItem(bob, 'first hello')).toBeVisible();
});

test('messages appear live and the typing indicator shows and clears', async () => {
  const alice = people.alice.page;
  const bob = people.bob.page;

  await alice.fill('#composer-text', 'I am writ');
  await alice.locator('#composer-text').dispatchEvent('input');
  await expect(bob.locator('#typing')).toHaveText('Alice is typing…');
  // Emptying the composer stops it.
  await alice.fill('#composer-text', '');
  await expect(bob.locator('#typing')).toHaveText('');

  await alice.fill('#composer-text', 'typing again');
  await expect(bob.locator('#typing')).toHaveText('Alice is typing…');
  await bob.screenshot({ path: join(shots, 'chat-typing.png') });
  await alice.press('#composer-text', 'Enter');
  // Sending clears the indicator, and the message appears on the other side as it comes.
  await expect(messageItem(bob, 'typing again')).toBeVisible();
  await expect(bob.locator('#typing')).toHaveText('');

  await send(bob, 'and a reply from bob');
  await expect(messageItem(alice, 'and a reply from bob')).toBeVisible();
  await expect(messageItem(alice, 'and a reply from bob').locator('.sender')).toHaveText('Bob');
  // Alice has the room open: bob's message is read by her at once.
  await expect(messageItem(bob, 'and a reply from bob')).toHaveAttribute('data-status', 'read');
  await alice.screenshot({ path: join(shots, 'chat-alice.png') });
  await bob.screenshot({ path: join(shots, 'chat-bob.png') });
});

test('scrolling up loads older messages', async () => {
  const alice = people.alice.page;
  const carol = await server.register('carol', 'Carol');
  const { room } = await server.call('POST', '/v1/rooms/direct', { username: 'alice' }, carol.access_token);
  const total = 120;
  for (let i = 1; i <= total; i++) {
    await server.call('POST', `/v1/rooms/${room.id}/messages`, { client_msg_id: `seed-${i}`, type: 'text', text: `seed ${i}` }, carol.access_token);
  }

  await roomItem(alice, 'Carol').click();
  await expect(alice.locator('#chat-title')).toHaveText('Carol');
  await expect(alice.locator('#messages li[data-seq="120"]')).toBeVisible();
  // One page, not all of it, came with opening the room.
  const firstPage = await alice.locator('#messages li.message').count();
  assert.ok(firstPage < total, `only the newest page is loaded at first (got ${firstPage})`);
  await expect(alice.locator('#messages li[data-seq="1"]')).toHaveCount(0);

  // Scroll to the top until the first message is there; each scroll may bring one more page.
  for (let attempt = 0; attempt < 10; attempt++) {
    if ((await alice.locator('#messages li[data-seq="1"]').count()) > 0) break;
    const before = await alice.locator('#messages li.message').count();
    await alice.locator('#messages').evaluate((el) => el.scrollTo(0, 0));
    await expect.poll(() => alice.locator('#messages li.message').count()).toBeGreaterThan(before);
  }
  await expect(alice.locator('#messages li.message')).toHaveCount(total);
  const seqs = await alice.locator('#messages li.message').evaluateAll((els) => els.map((e) => Number(e.dataset.seq)));
  assert.deepEqual(seqs, Array.from({ length: total }, (_, i) => i + 1));
  await alice.screenshot({ path: join(shots, 'chat-history.png') });
});

test('a message written while offline is sent once, in order, after the server comes back', async () => {
  const alice = people.alice.page;
  const bob = people.bob.page;
  await roomItem(alice, 'Bob').click();
  await expect(alice.locator('#chat-title')).toHaveText('Bob');
  await expect(alice.locator('#offline-banner')).toBeHidden();

  await server.stop();
  await expect(alice.locator('#offline-banner')).toBeVisible();
  await expect(bob.locator('#offline-banner')).toBeVisible();

  await send(alice, 'written offline 1');
  await send(alice, 'written offline 2');
  await expect(messageItem(alice, 'written offline 1')).toHaveAttribute('data-status', 'pending');
  await expect(messageItem(alice, 'written offline 2')).toHaveAttribute('data-status', 'pending');
  // Kept in the browser's storage, so that a reload would not lose them.
  const stored = await alice.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('parley.outbox.'))
      .flatMap((k) => JSON.parse(localStorage.getItem(k)).map((e) => e.text)),
  );
  assert.deepEqual(stored, ['written offline 1', 'written offline 2']);
  await alice.screenshot({ path: join(shots, 'chat-offline.png') });

  await server.start();
  await expect(alice.locator('#offline-banner')).toBeHidden({ timeout: 30000 });
  await expect(messageItem(alice, 'written offline 2')).not.toHaveAttribute('data-status', 'pending');
  await expect(messageItem(bob, 'written offline 1')).toBeVisible();
  await expect(messageItem(bob, 'written offline 2')).toBeVisible();
  await expect(messageItem(alice, 'written offline 2')).toHaveAttribute('data-status', 'read');
  await alice.screenshot({ path: join(shots, 'chat-reconnected.png') });

  // What the server holds: each exactly once, in the order written.
  const { access_token, user } = await server.login('alice');
  const { rooms } = await server.call('GET', '/v1/rooms', undefined, access_token);
  const direct = rooms.find((r) => r.kind === 'direct' && r.peer_id !== undefined && r.last_message?.text?.startsWith('written offline'));
  assert.ok(direct, 'the direct room with bob holds the offline messages');
  const texts = (await server.history(access_token, direct.id)).filter((m) => m.sender_id === user.id).map((m) => m.text);
  assert.deepEqual(texts.filter((t) => t.startsWith('written offline')), ['written offline 1', 'written offline 2']);
  // Each is shown once in the page too.
  await expect(messageItem(alice, 'written offline 1')).toHaveCount(1);
  const stillStored = await alice.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('parley.outbox.'))
      .flatMap((k) => JSON.parse(localStorage.getItem(k))),
  );
  assert.deepEqual(stillStored, []);
});

// An 8x8 red PNG, small enough to live here and real enough for the server's check of its bytes.
const RED_SQUARE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAEklEQVR4nGM4oaHxHx9mGBkKAOdkhcFs8Kk4AAAAAElFTkSuQmCC',
  'base64',
);

test('an image alice attaches shows as a preview on bob\'s side, with its caption', async () => {
  const alice = people.alice.page;
  const bob = people.bob.page;
  await roomItem(alice, 'Bob').click();
  await expect(alice.locator('#chat-title')).toHaveText('Bob');
  await roomItem(bob, 'Alice').click();
  await expect(bob.locator('#chat-title')).toHaveText('Alice');

  await alice.fill('#composer-text', 'a red square');
  await attachAndSend(alice, { name: 'square.png', mimeType: 'image/png', buffer: RED_SQUARE_PNG });

  const preview = (page) => messageItem(page, 'a red square').locator('img.preview');
  await expect(preview(bob)).toHaveCount(1);
  await expect(preview(bob)).toHaveAttribute('alt', 'square.png');
  // Loaded and decoded: the bytes came through the authorized fetch intact.
  await expect.poll(() => preview(bob).evaluate((img) => img.complete && img.naturalWidth)).toBe(8);
  await expect.poll(() => preview(alice).evaluate((img) => img.complete && img.naturalWidth)).toBe(8);
  assert.equal(await alice.locator('#composer-text').inputValue(), '');
  await bob.screenshot({ path: join(shots, 'chat-image-bob.png') });

  // After a reload the preview comes from the history just the same.
  await bob.reload();
  await roomItem(bob, 'Alice').click();
  await expect.poll(() => preview(bob).evaluate((img) => img.complete && img.naturalWidth)).toBe(8);

  // Another kind of file is a link that saves it under its name.
  await alice.fill('#composer-text', 'the notes');
  await attachAndSend(alice, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello notes') });
  const link = messageItem(bob, 'the notes').locator('a.file-link');
  await expect(link).toHaveAttribute('download', 'notes.txt');
  const [download] = await Promise.all([bob.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'notes.txt');
  await bob.screenshot({ path: join(shots, 'chat-file-bob.png') });
});

// How many files are waiting in the page's IndexedDB for their message to be sent.
function storedFileCount(page) {
  return page.evaluate(async () => {
    const request = (r) => new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    let count = 0;
    for (const { name } of await indexedDB.databases()) {
      if (!name.startsWith('parley.files.')) continue;
      const db = await request(indexedDB.open(name));
      count += await request(db.transaction('files').objectStore('files').count());
      db.close();
    }
    return count;
  });
}

function storedOutbox(page) {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('parley.outbox.'))
      .flatMap((k) => JSON.parse(localStorage.getItem(k))),
  );
}

test('an image attached offline waits with the outbox, outlives its tab, and is sent once when the server is back', async () => {
  let alice = people.alice.page;
  const bob = people.bob.page;
  const caption = 'a square attached offline';
  await roomItem(alice, 'Bob').click();
  await expect(alice.locator('#chat-title')).toHaveText('Bob');
  await roomItem(bob, 'Alice').click();
  await expect(bob.locator('#chat-title')).toHaveText('Alice');

  await server.stop();
  await expect(alice.locator('#offline-banner')).toBeVisible();
  await expect(bob.locator('#offline-banner')).toBeVisible();

  await alice.fill('#composer-text', caption);
  await attachAndSend(alice, { name: 'offline-square.png', mimeType: 'image/png', buffer: RED_SQUARE_PNG });
  const pending = messageItem(alice, caption);
  await expect(pending).toHaveAttribute('data-status', 'pending');
  // The preview comes from the browser's own copy of the file: nothing could be uploaded.
  await expect.poll(() => pending.locator('img.preview').evaluate((img) => img.complete && img.naturalWidth)).toBe(8);
  await expect(alice.locator('#attach-error')).toHaveText('');
  assert.equal(await alice.locator('#composer-text').inputValue(), '');
  // The message is kept in localStorage, not yet uploaded, and its file in IndexedDB.
  const stored = (await storedOutbox(alice)).map((e) => ({ text: e.text, type: e.type, file: e.file?.name, uploaded: !!e.attachment }));
  assert.deepEqual(stored, [{ text: caption, type: 'image', file: 'offline-square.png', uploaded: false }]);
  assert.equal(await storedFileCount(alice), 1);
  await alice.screenshot({ path: join(shots, 'chat-image-offline.png') });

  // The tab is closed while offline: what the browser stored is all that is left to send.
  const { context } = people.alice;
  await alice.close();
  await server.start();
  alice = await openPage(context, 'alice');
  await roomItem(alice, 'Bob').click();
  await expect(alice.locator('#chat-title')).toHaveText('Bob');
  await expect(bob.locator('#offline-banner')).toBeHidden({ timeout: 30000 });

  const preview = (page) => messageItem(page, caption).locator('img.preview');
  await expect.poll(() => preview(bob).evaluate((img) => img.complete && img.naturalWidth), { timeout: 30000 }).toBe(8);
  await expect(messageItem(bob, caption)).toHaveCount(1);
  await expect(preview(bob)).toHaveAttribute('alt', 'offline-square.png');
  await expect(messageItem(alice, caption)).toHaveAttribute('data-status', /^(sent|delivered|read)$/);
  await expect(messageItem(alice, caption)).toHaveCount(1);
  await expect.poll(() => preview(alice).evaluate((img) => img.complete && img.naturalWidth)).toBe(8);
  // Acknowledged: nothing is left in either store.
  await expect.poll(() => storedFileCount(alice)).toBe(0);
  assert.deepEqual(await storedOutbox(alice), []);
  await bob.screenshot({ path: join(shots, 'chat-image-reconnected-bob.png') });

  // What the server holds: the message once, with the uploaded image.
  const { access_token } = await server.login('alice');
  const { rooms } = await server.call('GET', '/v1/rooms', undefined, access_token);
  const direct = rooms.find((r) => r.kind === 'direct' && r.last_message?.text === caption);
  assert.ok(direct, 'the direct room with bob ends with the image');
  const sent = (await server.history(access_token, direct.id)).filter((m) => m.text === caption);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].type, 'image');
  assert.equal(sent[0].attachment.name, 'offline-square.png');
  assert.equal(sent[0].attachment.size, RED_SQUARE_PNG.length);
});

test('a file the server refuses is marked failed with the server\'s reason, and not kept', async () => {
  const alice = people.alice.page;
  const bob = people.bob.page;
  await expect(alice.locator('#chat-title')).toHaveText('Bob');
  await alice.fill('#composer-text', 'not really a png');
  await attachAndSend(alice, { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('plain text, not an image') });
  const failed = messageItem(alice, 'not really a png');
  await expect(failed).toHaveAttribute('data-status', 'failed');
  // The reason is the server's 415 message, which says what the bytes are.
  assert.match((await failed.getAttribute('title')) ?? '', /\S/);
  await expect.poll(() => storedFileCount(alice)).toBe(0);
  assert.deepEqual(await storedOutbox(alice), []);
  // A message after it is not held up.
  await send(alice, 'after the refused file');
  await expect(messageItem(bob, 'after the refused file')).toBeVisible();
  await expect(messageItem(bob, 'not really a png')).toHaveCount(0);
});

test('a group: create it, add and remove members', async () => {
  const alice = people.alice.page;
  const bob = people.bob.page;
  await createGroup(alice, 'Team', 'bob');
  await expect(alice.locator('#chat-title')).toHaveText('Team');
  await expect(roomItem(bob, 'Team')).toBeVisible();

  await alice.click('#members-toggle');
  await expect(alice.locator('#members .member-list li')).toHaveCount(2);
  await alice.fill('#add-member-username', 'carol');
  await alice.click('#members form.add-member button');
  await expect(alice.locator('#members .member-list li')).toHaveCount(3);
  await expect(alice.locator('#messages li.system')).toHaveCount(2); // created, carol added

  await alice.locator('#members .member-list li', { hasText: 'Bob' }).getByText('Remove').click();
  await alice.click('dialog.confirm .confirm-accept');
  await expect(alice.locator('#members .member-list li')).toHaveCount(2);
  await expect(roomItem(bob, 'Team')).toHaveCount(0);
  await alice.screenshot({ path: join(shots, 'chat-group.png') });
  assert.deepEqual(foreignRequests, []);
});
