// Access tokens that expire, as Parley's do (15 minutes by default; a few seconds here), under
// an app that keeps its Supabase client for longer: it creates the client with its first token
// as the key and hands it each new token through createClient's accessToken option, which
// supabase-js asks before every REST request, every channel join and every heartbeat. Such an
// app keeps its channels past the first token's lifetime, across reconnects too, and its REST
// calls. docs/supabase.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  groupRoom,
  messagesOfRoom,
  newUser,
  parleySend,
  startParleyd,
  subscribe,
  supabaseFor,
  waitFor,
} from './harness.mjs';

const TOKEN_TTL_S = 4;
const server = await startParleyd('token-expiry', ['--access-token-ttl', String(TOKEN_TTL_S)]);

const show = (value) => () => `seen: ${JSON.stringify(value)}`;

// A new access token for `user`, by signing in again.
async function freshToken(user) {
  return (await server.login(user.username)).access_token;
}

async function isExpired(token) {
  const res = await fetch(`${server.url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  await res.body?.cancel();
  return res.status === 401;
}

// The app: a client made with the first token, then told each new one; heartbeats counted.
async function appClient(user) {
  const app = { token: await freshToken(user), heartbeats: 0 };
  app.first = app.token;
  app.supabase = supabaseFor(
    server,
    { token: app.first },
    {
      heartbeatIntervalMs: 1000,
      heartbeatCallback: (status) => {
        if (status === 'ok') app.heartbeats++;
      },
    },
    { accessToken: async () => app.token },
  );
  // Waits for the first token to expire, then signs in again: the new token is the current one.
  app.outliveFirst = async () => {
    await waitFor(() => isExpired(app.first), 'the first token to expire');
    app.token = await freshToken(user);
  };
  return app;
}

test('a channel outlives the first token: the heartbeat sends the current one', async () => {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  const roomId = await groupRoom(server, alice, [bob]);
  const app = await appClient(bob);
  const rows = [];
  const system = [];
  const channel = app.supabase
    .channel(`room:${roomId}`)
    .on('postgres_changes', messagesOfRoom(roomId), (p) => rows.push(p.new))
    .on('system', {}, (p) => system.push(p));
  const sub = subscribe(channel);
  await sub.subscribed();

  await app.outliveFirst();
  // A heartbeat or two after the expiry: each asks the app for its token.
  const beats = app.heartbeats;
  await waitFor(() => app.heartbeats >= beats + 2, 'two heartbeats after the expiry', show(app.heartbeats));
  const message = await parleySend(server, { token: await freshToken(alice) }, roomId, 'after the first token');
  await waitFor(() => rows.some((r) => r.seq === message.seq), 'the row after the expiry', show(rows));
  assert.deepEqual(
    sub.statuses.map((s) => s.status),
    ['SUBSCRIBED'],
  );
  assert.ok(!system.some((p) => p.status === 'error'), JSON.stringify(system));
});

test('a reconnect after the first token expired joins again and catches up', async () => {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  const roomId = await groupRoom(server, alice, [bob]);
  const app = await appClient(bob);
  const binding = messagesOfRoom(roomId);
  const seen = [];
  const channel = app.supabase.channel(`room:${roomId}`).on('postgres_changes', binding, (p) => {
    seen.push(p.new.seq);
    binding.after_seq = p.new.seq;
  });
  const sub = subscribe(channel);
  await sub.subscribed();
  const sent = [await parleySend(server, { token: await freshToken(alice) }, roomId, 'before')];
  await waitFor(() => seen.length === 1, 'the first row', show(seen));

  await app.outliveFirst();
  // The network goes; the client reconnects by itself, with the key it was made with.
  app.supabase.realtime.socketAdapter.getSocket().conn.terminate();
  sent.push(await parleySend(server, { token: await freshToken(alice) }, roomId, 'while away'));
  await sub.subscribed(2);
  sent.push(await parleySend(server, { token: await freshToken(alice) }, roomId, 'after'));
  await waitFor(() => seen.includes(sent.at(-1).seq), 'every row after the reconnect', show(seen));
  assert.deepEqual(
    seen,
    sent.map((m) => m.seq),
  );
});

test('REST calls after the first token expired carry the current one', async () => {
  const alice = await newUser(server, 'alice');
  const roomId = await groupRoom(server, alice);
  const app = await appClient(alice);
  await app.outliveFirst();
  const { data, error } = await app.supabase.from('rooms').select('id');
  assert.equal(error, null);
  assert.deepEqual(
    data.map((r) => r.id),
    [roomId],
  );
  const inserted = await app.supabase
    .from('messages')
    .insert({ room_id: roomId, text: 'with the current token', client_msg_id: 'current-1' });
  assert.equal(inserted.error, null);
});
