// Parley's Supabase Realtime endpoint (/realtime/v1/websocket) driven by the official clients,
// @supabase/supabase-js and @supabase/realtime-js, against a real parleyd: joining a room's
// topic, broadcast in both serializers, presence, postgres_changes of the messages table, token
// refresh, the catch-up after a reconnect (after_seq) and the heartbeat. docs/supabase.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  directRoom,
  groupRoom,
  messagesOfRoom,
  newUser,
  parleySend,
  realtimeFor,
  startParleyd,
  subscribe,
  supabaseFor,
  upgradeStatus,
  waitFor,
  wsUrl,
} from './harness.mjs';

const server = await startParleyd('realtime');

const topic = (roomId) => `room:${roomId}`;
const seqs = (rows) => rows.map((r) => r.seq);
const show = (value) => () => `seen: ${JSON.stringify(value)}`;

// The frames a client sent that carry a broadcast: binary frames of kind 3 (user broadcast
// push), or text frames whose event is "broadcast" (an array in 2.0.0, an object in 1.0.0).
function broadcastFrames(frames) {
  return frames.filter((f) => {
    if (f.binary) return new Uint8Array(f.data)[0] === 3;
    const msg = JSON.parse(f.data);
    return (Array.isArray(msg) ? msg[3] : msg.event) === 'broadcast';
  });
}

// The text frames a client sent with event `event`, decoded as {topic, event, payload}.
function textFrames(frames, event) {
  return frames
    .filter((f) => !f.binary)
    .map((f) => JSON.parse(f.data))
    .map((m) => (Array.isArray(m) ? { topic: m[2], event: m[3], payload: m[4] } : m))
    .filter((m) => m.event === event);
}

test('an invalid or missing apikey is refused with HTTP 401 before the upgrade, an unknown vsn with 400', async () => {
  const user = await newUser(server, 'keyholder');
  const endpoint = `${wsUrl(server)}/realtime/v1/websocket`;
  assert.equal(await upgradeStatus(`${endpoint}?apikey=not-a-token&vsn=2.0.0`), 401);
  assert.equal(await upgradeStatus(`${endpoint}?vsn=2.0.0`), 401);
  assert.equal(await upgradeStatus(`${endpoint}?apikey=${encodeURIComponent(user.token)}&vsn=2.0.0`), 101);
  assert.equal(await upgradeStatus(`${endpoint}?apikey=${encodeURIComponent(user.token)}&vsn=1.0.0`), 101);
  assert.equal(await upgradeStatus(`${endpoint}?apikey=${encodeURIComponent(user.token)}&vsn=9.9.9`), 400);

  // The client cannot connect: its channel reports the error and never joins.
  const realtime = realtimeFor(server, 'not-a-token');
  const sub = subscribe(realtime.channel('room:1'));
  const { status } = await sub.first('CHANNEL_ERROR', 'SUBSCRIBED', 'TIMED_OUT');
  assert.equal(status, 'CHANNEL_ERROR');
  assert.equal(realtime.isConnected(), false);
});

test("a room's topic admits its members and refuses anyone else as Unauthorized", async () => {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  const carol = await newUser(server, 'carol');
  const group = await groupRoom(server, alice, [bob]);
  const direct = await directRoom(server, alice, carol);

  for (const [user, roomId] of [[alice, group], [bob, group], [alice, direct], [carol, direct]]) {
    const realtime = realtimeFor(server, user.token);
    await subscribe(realtime.channel(topic(roomId))).subscribed();
  }
  for (const [user, roomId] of [[carol, group], [bob, direct]]) {
    const realtime = realtimeFor(server, user.token);
    const { status, err } = await subscribe(realtime.channel(topic(roomId))).first('CHANNEL_ERROR', 'SUBSCRIBED');
    assert.equal(status, 'CHANNEL_ERROR');
    assert.match(err.message, /^Unauthorized/);
  }
});

test("postgres_changes of a room the user is not in is refused, on any topic", async () => {
  const alice = await newUser(server, 'alice');
  const carol = await newUser(server, 'carol');
  const roomId = await groupRoom(server, alice);
  const realtime = realtimeFor(server, carol.token);
  const sub = subscribe(realtime.channel('lobby').on('postgres_changes', messagesOfRoom(roomId), () => {}));
  const { status, err } = await sub.first('CHANNEL_ERROR', 'SUBSCRIBED');
  assert.equal(status, 'CHANNEL_ERROR');
  assert.match(err.message, /^Unauthorized/);
  // A member's binding on the same kind of topic is served.
  const own = realtimeFor(server, alice.token);
  await subscribe(own.channel('lobby').on('postgres_changes', messagesOfRoom(roomId), () => {})).subscribed();
});

test('leaving the room ends its channels: a system error, then the channel closes', async () => {
  const { alice, bob, roomId } = await aliceAndBobInARoom();
  const system = [];
  const channel = realtimeFor(server, bob.token)
    .channel(topic(roomId))
    .on('postgres_changes', messagesOfRoom(roomId), () => {})
    .on('system', {}, (p) => system.push(p));
  const sub = subscribe(channel);
  await sub.subscribed();

  await server.call('POST', `/v1/rooms/${roomId}/leave`, undefined, bob.token);
  const { status } = await sub.first('CLOSED', 'CHANNEL_ERROR');
  assert.equal(status, 'CLOSED');
  const error = system.find((p) => p.status === 'error');
  assert.ok(error, `a system error before the close; system: ${JSON.stringify(system)}`);
  assert.match(error.message, /^Unauthorized/);
  assert.equal(channel.state, 'closed');
});

for (const vsn of ['1.0.0', '2.0.0']) {
  test(`vsn ${vsn}: a broadcast reaches the other joiners, the sender with self, and ack waits for the reply`, async () => {
    const alice = await newUser(server, 'alice');
    const bob = await newUser(server, 'bob');
    const roomId = await groupRoom(server, alice, [bob]);
    const aliceFrames = [];
    const aliceGot = [];
    const bobGot = [];
    const aliceChannel = realtimeFor(server, alice.token, { vsn, frames: aliceFrames })
      .channel(topic(roomId), { config: { broadcast: { self: true, ack: true } } })
      .on('broadcast', { event: 'typing' }, (m) => aliceGot.push(m));
    const bobChannel = realtimeFor(server, bob.token, { vsn })
      .channel(topic(roomId), { config: { broadcast: { ack: true } } })
      .on('broadcast', { event: 'typing' }, (m) => bobGot.push(m));
    await subscribe(aliceChannel).subscribed();
    await subscribe(bobChannel).subscribed();

    const first = { user: alice.username, typing: true };
    assert.equal(await aliceChannel.send({ type: 'broadcast', event: 'typing', payload: first }), 'ok');
    await waitFor(() => bobGot.length === 1 && aliceGot.length === 1, 'the broadcast at both', show({ aliceGot, bobGot }));
    for (const got of [aliceGot[0], bobGot[0]]) {
      assert.equal(got.type, 'broadcast');
      assert.equal(got.event, 'typing');
      assert.deepEqual(got.payload, first);
    }
    // realtime-js sent it as a binary frame (kind 3) on 2.0.0 and as JSON on 1.0.0.
    const sent = broadcastFrames(aliceFrames);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].binary, vsn === '2.0.0');

    // Without self, the sender does not get its own: Bob's acknowledged broadcast reaches Alice,
    // and when Alice's next one reaches Bob, his own has not come back to him before it.
    const second = { user: bob.username, typing: false };
    assert.equal(await bobChannel.send({ type: 'broadcast', event: 'typing', payload: second }), 'ok');
    await waitFor(() => aliceGot.length === 2, "Bob's broadcast at Alice", show(aliceGot));
    assert.deepEqual(aliceGot[1].payload, second);
    const third = { user: alice.username, typing: false };
    assert.equal(await aliceChannel.send({ type: 'broadcast', event: 'typing', payload: third }), 'ok');
    await waitFor(() => bobGot.length >= 2, "Alice's second broadcast at Bob", show(bobGot));
    assert.deepEqual(bobGot.map((m) => m.payload), [first, third]);
  });
}

test('a broadcast crosses serializers: 1.0.0 to 2.0.0 and back', async () => {
  const { alice, bob, roomId } = await aliceAndBobInARoom();
  const aliceGot = [];
  const bobGot = [];
  const aliceChannel = realtimeFor(server, alice.token, { vsn: '1.0.0' })
    .channel(topic(roomId), { config: { broadcast: { ack: true } } })
    .on('broadcast', { event: '*' }, (m) => aliceGot.push(m));
  const bobChannel = realtimeFor(server, bob.token, { vsn: '2.0.0' })
    .channel(topic(roomId), { config: { broadcast: { ack: true } } })
    .on('broadcast', { event: '*' }, (m) => bobGot.push(m));
  await subscribe(aliceChannel).subscribed();
  await subscribe(bobChannel).subscribed();

  const fromAlice = { text: 'héllo from 1.0.0 ✓', n: 1, nested: { list: [1, 'two', null, true] } };
  assert.equal(await aliceChannel.send({ type: 'broadcast', event: 'cursor', payload: fromAlice }), 'ok');
  await waitFor(() => bobGot.length === 1, 'the broadcast at the 2.0.0 client', show(bobGot));
  assert.equal(bobGot[0].event, 'cursor');
  assert.deepEqual(bobGot[0].payload, fromAlice);

  const fromBob = { text: 'hello from 2.0.0 ✓', n: 2 };
  assert.equal(await bobChannel.send({ type: 'broadcast', event: 'cursor', payload: fromBob }), 'ok');
  await waitFor(() => aliceGot.length === 1, 'the broadcast at the 1.0.0 client', show(aliceGot));
  assert.equal(aliceGot[0].event, 'cursor');
  assert.deepEqual(aliceGot[0].payload, fromBob);
});

test('vsn 2.0.0: a broadcast of binary bytes arrives as the same bytes', async () => {
  const { alice, bob, roomId } = await aliceAndBobInARoom();
  const aliceFrames = [];
  const aliceGot = [];
  const bobGot = [];
  const aliceChannel = realtimeFor(server, alice.token, { frames: aliceFrames })
    .channel(topic(roomId), { config: { broadcast: { self: true, ack: true } } })
    .on('broadcast', { event: 'blob' }, (m) => aliceGot.push(m));
  const bobChannel = realtimeFor(server, bob.token)
    .channel(topic(roomId))
    .on('broadcast', { event: 'blob' }, (m) => bobGot.push(m));
  await subscribe(aliceChannel).subscribed();
  await subscribe(bobChannel).subscribed();

  // Every byte value, and bytes that are not UTF-8.
  const bytes = new Uint8Array(300).map((_, i) => (i * 7) % 256);
  assert.equal(await aliceChannel.send({ type: 'broadcast', event: 'blob', payload: bytes.buffer.slice(0) }), 'ok');
  await waitFor(() => bobGot.length === 1 && aliceGot.length === 1, 'the bytes at both', show({ aliceGot, bobGot }));
  for (const got of [bobGot[0], aliceGot[0]]) {
    assert.ok(got.payload instanceof ArrayBuffer, `an ArrayBuffer, not ${JSON.stringify(got.payload)}`);
    assert.deepEqual(new Uint8Array(got.payload), bytes);
  }
  // Sent as kind 3 with the binary encoding (0).
  const [sent] = broadcastFrames(aliceFrames);
  assert.equal(new Uint8Array(sent.data)[6], 0);
});

test('presence: both see sync with both keys, join, and leave on untrack and on unsubscribe', async () => {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  const roomId = await directRoom(server, alice, bob);

  const watch = (user) => {
    const log = { syncs: 0, joins: [], leaves: [] };
    const supabase = supabaseFor(server, user);
    const channel = supabase
      .channel(topic(roomId), { config: { presence: { key: user.username } } })
      .on('presence', { event: 'sync' }, () => log.syncs++)
      .on('presence', { event: 'join' }, ({ key, newPresences }) => log.joins.push({ key, newPresences }))
      .on('presence', { event: 'leave' }, ({ key, leftPresences }) => log.leaves.push({ key, leftPresences }));
    return { supabase, channel, log, keys: () => Object.keys(channel.presenceState()).sort() };
  };
  const a = watch(alice);
  const b = watch(bob);
  await subscribe(a.channel).subscribed();
  await subscribe(b.channel).subscribed();
  assert.equal(await a.channel.track({ user: alice.username, status: 'online' }), 'ok');
  assert.equal(await b.channel.track({ user: bob.username, status: 'online' }), 'ok');

  const both = [alice.username, bob.username].sort();
  for (const side of [a, b]) {
    await waitFor(() => side.log.syncs > 0 && side.keys().join() === both.join(), 'both keys in the presence state', () =>
      JSON.stringify(side.channel.presenceState()),
    );
  }
  const bobAtAlice = a.channel.presenceState()[bob.username];
  assert.equal(bobAtAlice.length, 1);
  assert.equal(bobAtAlice[0].user, bob.username);
  assert.equal(bobAtAlice[0].status, 'online');
  assert.equal(typeof bobAtAlice[0].presence_ref, 'string');
  await waitFor(() => a.log.joins.some((j) => j.key === bob.username), "Bob's join at Alice", show(a.log.joins));
  await waitFor(() => b.log.joins.some((j) => j.key === alice.username), "Alice's join at Bob", show(b.log.joins));

  // Untrack: Alice sees Bob leave.
  assert.equal(await b.channel.untrack(), 'ok');
  await waitFor(
    () => a.log.leaves.some((l) => l.key === bob.username) && a.keys().join() === alice.username,
    "Bob's leave at Alice",
    show({ leaves: a.log.leaves, state: a.channel.presenceState() }),
  );

  // Tracked again, then the channel left: a join, then a leave again.
  assert.equal(await b.channel.track({ user: bob.username, status: 'away' }), 'ok');
  await waitFor(
    () => a.log.joins.filter((j) => j.key === bob.username).length === 2 && a.keys().join() === both.join(),
    "Bob's second join at Alice",
    show(a.log.joins),
  );
  assert.equal(a.channel.presenceState()[bob.username][0].status, 'away');
  assert.equal(await b.supabase.removeChannel(b.channel), 'ok');
  await waitFor(
    () => a.log.leaves.filter((l) => l.key === bob.username).length === 2 && a.keys().join() === alice.username,
    "Bob's leave at Alice when he unsubscribes",
    show({ leaves: a.log.leaves, state: a.channel.presenceState() }),
  );
});

test('postgres_changes: messages sent through Parley arrive as rows, in seq order, once each', async () => {
  const { alice, bob, roomId } = await aliceAndBobInARoom();
  const otherRoom = await groupRoom(server, alice, [bob], 'other');
  const bobSupabase = supabaseFor(server, bob);
  const changes = [];
  const elsewhere = [];
  const channel = bobSupabase
    .channel(topic(roomId))
    .on('postgres_changes', messagesOfRoom(roomId), (p) => changes.push(p));
  const otherChannel = bobSupabase
    .channel(topic(otherRoom))
    .on('postgres_changes', messagesOfRoom(otherRoom), (p) => elsewhere.push(p.new));
  await subscribe(channel).subscribed();
  await subscribe(otherChannel).subscribed();

  const sent = [];
  for (let i = 1; i <= 5; i++) sent.push(await parleySend(server, alice, roomId, `hello ${i}`));
  const file = await server.call(
    'POST',
    `/v1/rooms/${roomId}/messages`,
    { client_msg_id: 'file-1', type: 'file', attachment: { name: 'notes.txt', mime_type: 'text/plain', size: 12 } },
    alice.token,
  );
  sent.push(file.message);
  const away = await parleySend(server, alice, otherRoom, 'in the other room');
  // The last one: anything sent before it has arrived by the time it does.
  sent.push(await parleySend(server, alice, roomId, 'the last'));
  await waitFor(() => changes.some((p) => p.new.seq === sent.at(-1).seq), 'the last row', show(changes.map((p) => p.new)));
  await waitFor(() => elsewhere.length === 1, 'the row of the other room on its own channel', show(elsewhere));

  const rows = changes.map((p) => p.new);
  assert.deepEqual(seqs(rows), seqs(sent), 'every row once, in seq order');
  assert.deepEqual(seqs(elsewhere), [away.seq]);
  for (const p of changes) {
    assert.equal(p.schema, 'public');
    assert.equal(p.table, 'messages');
    assert.equal(p.eventType, 'INSERT');
    assert.equal(typeof p.commit_timestamp, 'string');
  }
  const columns = ['attachment', 'client_msg_id', 'created_at', 'deleted', 'edited_at', 'id', 'reply_to', 'room_id', 'sender_id', 'seq', 'text', 'type'];
  for (const [i, row] of rows.entries()) {
    const message = sent[i];
    assert.deepEqual(Object.keys(row).sort(), columns);
    assert.equal(row.id, message.id);
    assert.equal(row.room_id, roomId);
    assert.equal(row.seq, message.seq);
    assert.equal(row.sender_id, alice.id);
    assert.equal(row.client_msg_id, message.client_msg_id);
    assert.equal(row.type, message.type);
    assert.equal(row.text, message.text ?? null);
    assert.deepEqual(row.attachment, message.attachment ?? null);
    assert.equal(typeof row.created_at, 'string');
    assert.equal(Date.parse(row.created_at), message.created_at);
  }
  assert.equal(rows[5].type, 'file');
  assert.equal(rows[5].attachment.name, 'notes.txt');
});

test('postgres_changes UPDATE: an edit and a deletion are updates of their row, as it stands; a reaction is none', async () => {
  const { alice, bob, roomId } = await aliceAndBobInARoom();
  const bobSupabase = supabaseFor(server, bob);
  const updates = [];
  const inserts = [];
  const everything = [];
  const channel = bobSupabase
    .channel(topic(roomId))
    .on('postgres_changes', messagesOfRoom(roomId, { event: 'UPDATE' }), (p) => updates.push(p))
    .on('postgres_changes', messagesOfRoom(roomId), (p) => inserts.push(p))
    .on('postgres_changes', messagesOfRoom(roomId, { event: '*' }), (p) => everything.push(p));
  await subscribe(channel).subscribed();

  const original = await parleySend(server, alice, roomId, 'lunch at noon?');
  let events = 0;
  const event = (type, text) =>
    server.call(
      'POST',
      `/v1/rooms/${roomId}/messages`,
      { client_msg_id: `${type}-${original.id}-${++events}`, type, text, relates_to: original.seq },
      type === 'reaction' ? bob.token : alice.token,
    );
  await event('reaction', '👍');
  await event('edit', 'lunch at one?');
  await waitFor(() => updates.length === 1, 'the edit as an UPDATE', show(updates));
  const edited = updates[0];
  assert.equal(edited.eventType, 'UPDATE');
  assert.equal(edited.new.id, original.id);
  assert.equal(edited.new.seq, original.seq);
  assert.equal(edited.new.text, 'lunch at one?');
  assert.equal(typeof edited.new.edited_at, 'string');
  assert.equal(edited.new.deleted, false);
  assert.deepEqual(edited.old, { id: original.id });

  await event('deletion', '');
  const last = await parleySend(server, alice, roomId, 'never mind');
  await waitFor(
    () => updates.length === 2 && inserts.length === 2 && everything.length === 4,
    'the deletion, and the last row',
    show({ updates, inserts, everything }),
  );
  assert.equal(updates[1].new.id, original.id);
  assert.equal(updates[1].new.deleted, true);
  assert.equal(updates[1].new.text, '');
  assert.equal(updates[1].new.attachment, null);
  assert.deepEqual(inserts.map((p) => p.eventType), ['INSERT', 'INSERT'], 'an INSERT binding gets no UPDATE, a reaction is no row');
  assert.deepEqual(inserts.map((p) => p.new.seq), [original.seq, last.seq]);
  assert.deepEqual(everything.map((p) => p.eventType).sort(), ['INSERT', 'INSERT', 'UPDATE', 'UPDATE']);
});

test("postgres_changes without a filter, on any topic: the rows of all the user's rooms and no one else's", async () => {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  const carol = await newUser(server, 'carol');
  const group = await groupRoom(server, alice, [bob]);
  const direct = await directRoom(server, bob, carol);
  const notBobs = await groupRoom(server, alice, [carol]);
  const rows = [];
  const channel = supabaseFor(server, bob)
    .channel('inbox')
    .on('postgres_changes', { event: '*', schema: 'public', table: 'messages' }, (p) => rows.push(p.new));
  await subscribe(channel).subscribed();

  const foreign = await parleySend(server, alice, notBobs, 'not for bob');
  const sent = [
    await parleySend(server, alice, group, 'in the group'),
    await parleySend(server, carol, direct, 'direct'),
    await parleySend(server, alice, group, 'in the group again'),
  ];
  await waitFor(() => sent.every((m) => rows.some((r) => r.id === m.id)), "the rows of Bob's rooms", show(rows));
  assert.ok(!rows.some((r) => r.id === foreign.id), 'no row of a room Bob is not in');
  assert.deepEqual(
    rows.filter((r) => r.room_id === group).map((r) => r.text),
    ['in the group', 'in the group again'],
  );
});

test('token refresh: a new token keeps the channel joined; an invalid one ends it with a system error', async () => {
  const { alice, bob, roomId } = await aliceAndBobInARoom();
  const frames = [];
  const realtime = realtimeFor(server, alice.token, { frames });
  const rows = [];
  const pings = [];
  const system = [];
  const channel = realtime
    .channel(topic(roomId), { config: { broadcast: { self: true, ack: true } } })
    .on('postgres_changes', messagesOfRoom(roomId), (p) => rows.push(p.new))
    .on('broadcast', { event: 'ping' }, (m) => pings.push(m.payload))
    .on('system', {}, (p) => system.push(p));
  const sub = subscribe(channel);
  await sub.subscribed();

  // A new pair from Parley's refresh; the client pushes the new access token to the channel.
  const refreshed = await server.call('POST', '/v1/auth/refresh', { refresh_token: alice.refresh_token });
  await realtime.setAuth(refreshed.access_token);
  const pushed = textFrames(frames, 'access_token');
  assert.equal(pushed.length, 1);
  assert.equal(pushed[0].payload.access_token, refreshed.access_token);
  // Still joined and working, after the server has read the new token.
  assert.equal(await channel.send({ type: 'broadcast', event: 'ping', payload: { n: 1 } }), 'ok');
  await waitFor(() => pings.length === 1, 'the broadcast after the refresh', show(pings));
  const message = await parleySend(server, bob, roomId, 'after the refresh');
  await waitFor(() => rows.some((r) => r.seq === message.seq), 'the row after the refresh', show(rows));
  assert.equal(channel.state, 'joined');
  assert.deepEqual(
    sub.statuses.map((s) => s.status),
    ['SUBSCRIBED'],
  );
  assert.ok(!system.some((p) => p.status === 'error'), JSON.stringify(system));

  // An invalid token ends the channel: a system error, then phx_close.
  await realtime.setAuth('not-a-valid-token');
  const { status } = await sub.first('CLOSED', 'CHANNEL_ERROR');
  assert.ok(['CLOSED', 'CHANNEL_ERROR'].includes(status));
  const error = system.find((p) => p.status === 'error');
  assert.ok(error, `a system error before the channel ended; system: ${JSON.stringify(system)}`);
  assert.equal(error.extension, 'system');
  assert.equal(typeof error.message, 'string');
  assert.notEqual(channel.state, 'joined');
});

// Two new users and a group room of theirs, which alice made.
async function aliceAndBobInARoom() {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  return { alice, bob, roomId: await groupRoom(server, alice, [bob]) };
}

// A channel that follows a room's rows as an app that catches up does: it keeps the binding it
// passed to .on() and moves after_seq on with every row, and realtime-js sends that same object
// again when it rejoins.
function followRoom(client, roomId) {
  const binding = messagesOfRoom(roomId);
  const seen = [];
  const channel = client.channel(topic(roomId)).on('postgres_changes', binding, (p) => {
    seen.push(p.new.seq);
    binding.after_seq = p.new.seq;
  });
  return { binding, seen, sub: subscribe(channel) };
}

test('catch-up: after a disconnect, the rows after the binding’s after_seq arrive once, in order, before live ones', async () => {
  const { alice, bob, roomId } = await aliceAndBobInARoom();
  const bobSupabase = supabaseFor(server, bob);
  const { binding, seen, sub } = followRoom(bobSupabase, roomId);
  await sub.subscribed();

  const sent = [];
  for (let i = 1; i <= 3; i++) sent.push(await parleySend(server, alice, roomId, `live ${i}`));
  await waitFor(() => seen.length === 3, 'the first rows', show(seen));

  await bobSupabase.realtime.disconnect();
  await waitFor(() => sub.count('CHANNEL_ERROR') >= 1 && !bobSupabase.realtime.isConnected(), 'the disconnect', show(sub.statuses));
  for (let i = 1; i <= 4; i++) sent.push(await parleySend(server, alice, roomId, `missed ${i}`));
  assert.equal(binding.after_seq, sent[2].seq);

  bobSupabase.realtime.connect();
  await sub.subscribed(2);
  for (let i = 1; i <= 2; i++) sent.push(await parleySend(server, alice, roomId, `live again ${i}`));
  await waitFor(() => seen.includes(sent.at(-1).seq), 'the live rows after the catch-up', show(seen));
  assert.deepEqual(seen, seqs(sent), 'every row once, in seq order');
});

test('catch-up: a connection dropped without a close frame comes back without a gap or a duplicate (vsn 1.0.0)', async () => {
  const { alice, bob, roomId } = await aliceAndBobInARoom();
  const realtime = realtimeFor(server, bob.token, { vsn: '1.0.0' });
  const { seen, sub } = followRoom(realtime, roomId);
  await sub.subscribed();

  const sent = [];
  for (let i = 1; i <= 2; i++) sent.push(await parleySend(server, alice, roomId, `before ${i}`));
  await waitFor(() => seen.length === 2, 'the first rows', show(seen));
  // The network goes: the client notices, and reconnects by itself.
  realtime.socketAdapter.getSocket().conn.terminate();
  for (let i = 1; i <= 5; i++) sent.push(await parleySend(server, alice, roomId, `during ${i}`));
  await sub.subscribed(2);
  for (let i = 1; i <= 2; i++) sent.push(await parleySend(server, alice, roomId, `after ${i}`));
  await waitFor(() => seen.includes(sent.at(-1).seq), 'every row after the reconnect', show(seen));
  assert.deepEqual(seen, seqs(sent), 'every row once, in seq order');
});

test('catch-up on the first join: after_seq in the binding brings the rows after it first', async () => {
  const { alice, bob, roomId } = await aliceAndBobInARoom();
  const before = [];
  for (let i = 1; i <= 4; i++) before.push(await parleySend(server, alice, roomId, `earlier ${i}`));

  const realtime = realtimeFor(server, bob.token);
  const seen = [];
  const channel = realtime
    .channel(topic(roomId))
    .on('postgres_changes', messagesOfRoom(roomId, { after_seq: before[1].seq }), (p) => seen.push(p.new));
  await subscribe(channel).subscribed();
  const live = await parleySend(server, alice, roomId, 'live');
  await waitFor(() => seen.some((r) => r.seq === live.seq), 'the live row', show(seen));
  assert.deepEqual(seqs(seen), [before[2].seq, before[3].seq, live.seq]);
  assert.deepEqual(
    seen.map((r) => r.text),
    ['earlier 3', 'earlier 4', 'live'],
  );
});

test('heartbeat: the client stays connected and joined across heartbeats', async () => {
  const alice = await newUser(server, 'alice');
  const roomId = await groupRoom(server, alice);
  const beats = [];
  const realtime = realtimeFor(server, alice.token, {
    // Short, so that a few heartbeats go by; long enough that a loaded machine answers in time.
    heartbeatIntervalMs: 2000,
    heartbeatCallback: (status) => beats.push(status),
  });
  const pings = [];
  const channel = realtime
    .channel(topic(roomId), { config: { broadcast: { self: true, ack: true } } })
    .on('broadcast', { event: 'ping' }, (m) => pings.push(m.payload));
  const sub = subscribe(channel);
  await sub.subscribed();
  await waitFor(() => beats.filter((b) => b === 'ok').length >= 2, 'two answered heartbeats', show(beats));
  assert.deepEqual(
    beats.filter((b) => b !== 'sent' && b !== 'ok'),
    [],
  );
  assert.equal(realtime.socketAdapter.getSocket().establishedConnections, 1);
  assert.equal(await channel.send({ type: 'broadcast', event: 'ping', payload: { n: 1 } }), 'ok');
  await waitFor(() => pings.length === 1, 'a broadcast after the heartbeats', show(pings));
  assert.deepEqual(
    sub.statuses.map((s) => s.status),
    ['SUBSCRIBED'],
  );
});
