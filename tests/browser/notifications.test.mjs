// Notifications in Chromium against a real parleyd: the service worker registers and is active,
// the page allows it (Content-Security-Policy worker-src), the "Notifications" control asks
// the server for its VAPID key, subscribes with it and registers the subscription with the
// push.register frame, and the worker shows a notification for a push message and opens its
// room.
//
// What headless Chromium cannot do here: reach a real push service. PushManager.subscribe asks
// the browser vendor's push service for an endpoint, which a closed test machine cannot reach,
// so the test stands in for that one call with a subscription at its own push service
// (push_service.mjs), and delivers push messages to the worker through the DevTools protocol
// (ServiceWorker.deliverPushMessage), as the browser does with what its push service hands it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { expect } from './expect.mjs';
import { Parleyd } from './parleyd.mjs';
import { PushService } from './push_service.mjs';
import { CHROMIUM_ARGS, registerInPage, roomItem } from './web_client.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.PARLEY_ARTIFACTS_DIR || join(here, '..', '..', 'build', 'test-artifacts');
const logs = join(artifacts, 'browser-notifications');
mkdirSync(logs, { recursive: true });

// Generous: Chromium starts beside other tests on two cores; a wait ends as soon as its condition holds.
const WAIT_MS = 30000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, read) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`expected ${what} within ${WAIT_MS} ms`);
    await sleep(50);
  }
}

const server = new Parleyd(logs);
const pushService = new PushService({});
let browser;
let context;
let page;
let subscription;
const framesSent = [];

before(async () => {
  await server.start();
  await pushService.start();
  subscription = pushService.subscribe('alice-browser');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  await context.grantPermissions(['notifications'], { origin: server.url });
  // The one call that needs the vendor's push service (see the top of this file).
  await context.addInitScript((sub) => {
    if (!('PushManager' in self)) return;
    let current = null;
    PushManager.prototype.getSubscription = async function getSubscription() {
      return current;
    };
    PushManager.prototype.subscribe = async function subscribe(options) {
      const key = new Uint8Array(options.applicationServerKey);
      self.subscribedWith = { userVisibleOnly: options.userVisibleOnly, applicationServerKey: Array.from(key) };
      current = {
        endpoint: sub.endpoint,
        options: { userVisibleOnly: options.userVisibleOnly, applicationServerKey: key.buffer },
        toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
        unsubscribe: async () => ((current = null), true),
      };
      return current;
    };
  }, subscription);
  page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  page.on('websocket', (ws) => ws.on('framesent', (frame) => framesSent.push(String(frame.payload))));
  await page.goto(`${server.url}/`);
});

after(async () => {
  if (browser) await browser.close();
  await pushService.stop();
  await server.dispose();
});

test('the service worker is served, allowed by the page and active', async () => {
  const worker = await page.request.get(`${server.url}/push_worker.js`);
  assert.equal(worker.status(), 200);
  assert.match(worker.headers()['content-type'], /^text\/javascript/);
  const index = await page.request.get(`${server.url}/`);
  assert.match(index.headers()['content-security-policy'], /worker-src 'self'/);

  const registration = await page.evaluate(async () => {
    const r = await navigator.serviceWorker.ready;
    return { scope: r.scope, script: r.active?.scriptURL, state: r.active?.state };
  });
  assert.equal(registration.scope, `${server.url}/`);
  assert.equal(registration.script, `${server.url}/push_worker.js`);
  await until('the worker to be activated', () =>
    page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state === 'activated'));
});

test('Notifications subscribes with the server key and registers the subscription', async () => {
  await registerInPage(page, 'alice', 'Alice');
  const button = page.locator('#notifications');
  await expect(button).toBeVisible();
  assert.equal(await page.evaluate(() => Notification.permission), 'granted');
  await button.click();

  const register = await until('a push.register frame', () =>
    framesSent.map((text) => JSON.parse(text)).find((frame) => frame.op === 'push.register'));
  const { id, op, ...params } = register;
  assert.deepEqual(params, {
    kind: 'webpush', endpoint: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth,
  });

  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('parley.session') ?? '{}').access_token);
  const keyAnswer = await page.request.get(`${server.url}/v1/push/webpush-key`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(keyAnswer.status(), 200, await keyAnswer.text());
  const { public_key: publicKey } = await keyAnswer.json();
  const subscribedWith = await page.evaluate(() => self.subscribedWith);
  assert.equal(subscribedWith.userVisibleOnly, true);
  assert.deepEqual(subscribedWith.applicationServerKey, Array.from(Buffer.from(publicKey, 'base64url')));
});

test('a push message shows a notification, and its room opens from it', async () => {
  await page.click('#new-conversation-open');
  await page.fill('#group-name', 'Team');
  await page.click('text=Create group');
  await expect(roomItem(page, 'Team')).toBeVisible();
  const roomId = Number(await roomItem(page, 'Team').getAttribute('data-room-id'));

  const cdp = await context.newCDPSession(page);
  const registrations = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: r }) => registrations.push(...r));
  await cdp.send('ServiceWorker.enable');
  const registration = await until('the worker registration over DevTools', () =>
    registrations.find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted));
  const payload = { room_id: roomId, room_name: 'Team', sender_name: 'Ann Lee', body: 'Lunch at noon?', unread: 3 };
  const deliver = () =>
    cdp.send('ServiceWorker.deliverPushMessage', {
      origin: server.url, registrationId: registration.registrationId, data: JSON.stringify(payload),
    });
  await deliver();

  // DevTools now and then hands a push to a worker that is still starting, and it is lost
  // there (about one run in six, with any server). The same message is delivered again every
  // few seconds until one shows: the same tag replaces, so one notification is all there is.
  let asked = Date.now();
  const shown = await until('a notification', async () => {
    const list = await page.evaluate(async () => {
      const found = await (await navigator.serviceWorker.ready).getNotifications();
      return found.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
    });
    if (list.length) return list;
    if (Date.now() - asked > 3000) {
      asked = Date.now();
      await deliver();
    }
    return null;
  });
  assert.deepEqual(shown, [{ title: 'Ann Lee in Team', body: 'Lunch at noon? (3 unread)', tag: `room-${roomId}`, data: { room_id: roomId } }]);

  // The click handler's work, run in the worker (a click on a system notification cannot be
  // made from here): the open tab is told to show the room.
  const [worker] = context.serviceWorkers();
  assert.ok(worker, 'the service worker is visible to the test');
  await page.evaluate(() => window.history.replaceState(null, '', '/'));
  await worker.evaluate((id) => openRoom(id).then(() => true), roomId);
  await expect(roomItem(page, 'Team')).toHaveClass(/open/);
});
