// Web Push through parleyd, end to end: a member with no connected device registers a browser's
// subscription, another member writes, and the push service this test runs (push_service.mjs)
// receives the notification from parleyd itself. It checks the VAPID token against the key
// parleyd publishes and decrypts the body with http_ece, independently of the server's code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parleyd } from './parleyd.mjs';
import { PushService } from './push_service.mjs';

let parleyd;
let service;

async function call(method, path, token, body) {
  const res = await fetch(`${parleyd.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function register(username, displayName) {
  const answer = await call('POST', '/v1/auth/register', undefined,
    { username, password: 'correct horse battery', display_name: displayName });
  return answer.access_token;
}

before(async () => {
  parleyd = new Parleyd(mkdtempSync(join(tmpdir(), 'parley-web-push-logs-')));
  await parleyd.start();
});
after(async () => {
  await service?.stop();
  await parleyd?.stop();
});

test('a member with no connected device gets the message through the push service, encrypted and signed', async () => {
  const suffix = Date.now().toString(36);
  const ann = await register(`ann${suffix}`, 'Ann Lee');
  const bob = await register(`bob${suffix}`, 'Bob');
  // The key browsers subscribe with, as the web client reads it.
  const { public_key: serverKey } = await call('GET', '/v1/push/webpush-key', bob);
  // parleyd runs without --vapid-subject here: its tokens carry no sub, and none is expected.
  service = await new PushService({ applicationServerKey: serverKey }).start();
  const subscription = service.subscribe();
  const target = await call('POST', '/v1/push/targets', bob,
    { kind: 'webpush', endpoint: subscription.endpoint, ...subscription.keys });
  assert.equal(target.kind, 'webpush');

  const { room } = await call('POST', '/v1/rooms/direct', ann, { username: `bob${suffix}` });
  const text = 'Lunch at noon? 🍜';
  await call('POST', `/v1/rooms/${room.id}/messages`, ann, { client_msg_id: `lunch-${suffix}`, type: 'text', text });

  const message = await service.nextMessage(0, 30000);
  const notification = JSON.parse(message.plaintext);
  assert.equal(notification.room_id, room.id);
  assert.equal(notification.sender_name, 'Ann Lee');
  assert.equal(notification.body, text);
  assert.equal(notification.unread, 1);
  assert.equal(notification.seq, 1);
  assert.equal(message.claims.aud, service.origin);
  assert.ok(message.headers.topic, 'the room is the Topic, so that a newer notification replaces it');
  assert.equal(service.received.length, 1, 'the sender is not notified');
});
