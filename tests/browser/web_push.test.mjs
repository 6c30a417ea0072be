// Web Push end to end: the server's signer makes a request (parley_web_push_send, the same code
// parleyd sends with), posts it to a push service this test runs (push_service.mjs), which
// verifies the VAPID token and decrypts the body with http_ece, independently of the server's
// code; the plaintext must be the payload sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { PushService, publicKeyOfScalar } from './push_service.mjs';

const SENDER = process.env.PARLEY_WEB_PUSH_SEND;
if (!SENDER) throw new Error('PARLEY_WEB_PUSH_SEND must be set to the parley_web_push_send program');
const SUBJECT = 'mailto:ops@example.com';
// A new P-256 private scalar, 32 bytes in base64url, as vapid.key holds it.
function newScalar() {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const d = ecdh.getPrivateKey();
  return Buffer.concat([Buffer.alloc(32 - d.length), d]).toString('base64url');
}
const VAPID_SCALAR = newScalar();

function send(subscription, payload, { ttl = 60, topic = 'room-1', subject = SUBJECT, scalar = VAPID_SCALAR } = {}) {
  return new Promise((resolve) => {
    execFile(SENDER, [scalar, subject, subscription.endpoint, subscription.keys.p256dh, subscription.keys.auth,
      String(ttl), topic, payload], { timeout: 30000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }));
  });
}

let service;
before(async () => {
  service = await new PushService({ applicationServerKey: publicKeyOfScalar(VAPID_SCALAR), subject: SUBJECT }).start();
});
after(() => service?.stop());

test('the push service verifies the VAPID token and decrypts the payload', async () => {
  const subscription = service.subscribe();
  const payload = JSON.stringify({ room: 42, sender: 'Ann Lee', body: 'Lunch at noon? 🍜', unread: 3 });
  const before = service.received.length;
  const sent = await send(subscription, payload, { ttl: 120, topic: 'room-42' });
  assert.equal(sent.code, 0, `sender failed: ${sent.stdout}${sent.stderr}`);
  assert.match(sent.stdout, /^201 /);
  const message = await service.nextMessage(before);
  assert.equal(message.plaintext, payload);
  assert.equal(message.headers.ttl, '120');
  assert.equal(message.headers.topic, 'room-42');
  assert.equal(message.headers.urgency, 'normal');
  assert.equal(message.claims.sub, SUBJECT);
  assert.equal(message.claims.aud, service.origin);
});

test('the largest payload fits in one push message', async () => {
  const subscription = service.subscribe();
  const payload = 'x'.repeat(3993);
  const before = service.received.length;
  const sent = await send(subscription, payload);
  assert.equal(sent.code, 0, `sender failed: ${sent.stdout}${sent.stderr}`);
  assert.equal((await service.nextMessage(before)).plaintext, payload);
});

test('a request signed with another key is refused by the push service', async () => {
  const sent = await send(service.subscribe(), 'hello', { scalar: newScalar() });
  assert.equal(sent.code, 1);
  assert.match(sent.stdout, /^400 k is not the key/);
  service.refused.length = 0;
});

test('a gone subscription is answered 410', async () => {
  const sent = await send({ endpoint: `${service.origin}/push/gone`, keys: service.subscribe().keys }, 'hello');
  assert.equal(sent.code, 1);
  assert.match(sent.stdout, /^410 /);
});
