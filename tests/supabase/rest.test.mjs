// Parley's REST subset of a Supabase project (/rest/v1/messages, /rest/v1/rooms) driven by the
// official client, @supabase/supabase-js, against a real parleyd: history newest first with a
// cursor, the caller's rooms, and inserts that reach Parley's own clients and other Supabase
// clients, once per client_msg_id. docs/supabase.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import {
  WebSocket,
  directRoom,
  groupRoom,
  messagesOfRoom,
  newUser,
  parleySend,
  parleySocket,
  startParleyd,
  subscribe,
  supabaseFor,
  waitFor,
} from './harness.mjs';

const server = await startParleyd('rest');

const seqs = (rows) => rows.map((r) => r.seq);
const show = (value) => () => `seen: ${JSON.stringify(value)}`;
const COLUMNS = ['attachment', 'client_msg_id', 'created_at', 'deleted', 'edited_at', 'id', 'reply_to', 'room_id', 'sender_id', 'seq', 'text', 'type'];

// A row of the messages table is the Parley message, column for column.
function assertRowIsMessage(row, message) {
  assert.deepEqual(Object.keys(row).sort(), COLUMNS);
  assert.equal(row.id, message.id);
  assert.equal(row.room_id, message.room_id);
  assert.equal(row.seq, message.seq);
  assert.equal(row.sender_id, message.sender_id);
  assert.equal(row.client_msg_id, message.client_msg_id ?? null);
  assert.equal(row.type, message.type);
  assert.equal(row.text, message.text ?? null);
  assert.deepEqual(row.attachment, message.attachment ?? null);
  assert.equal(typeof row.created_at, 'string');
  assert.equal(Date.parse(row.created_at), message.created_at);
}

test('history: the newest rows first, and a seq cursor pages back to the first', async () => {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  const roomId = await groupRoom(server, alice, [bob]);
  for (let i = 1; i <= 12; i++) await parleySend(server, i % 2 ? alice : bob, roomId, `message ${i}`);
  // What Parley holds, oldest first (the room's own system messages included).
  const all = await server.history(alice.token, roomId);
  assert.ok(all.length >= 12);

  const supabase = supabaseFor(server, bob);
  const page = (query) => query.order('seq', { ascending: false }).limit(5);
  const { data: newest, error } = await page(supabase.from('messages').select('*').eq('room_id', roomId));
  assert.equal(error, null);
  const expected = all.slice(-5).reverse();
  assert.deepEqual(seqs(newest), seqs(expected));
  for (const [i, row] of newest.entries()) assertRowIsMessage(row, expected[i]);

  // Back through history by cursor, to the first message and no further.
  const pages = [newest];
  for (;;) {
    const last = pages.at(-1);
    const { data, error: pageError } = await page(
      supabase.from('messages').select('*').eq('room_id', roomId).lt('seq', last.at(-1).seq),
    );
    assert.equal(pageError, null);
    if (data.length === 0) break;
    assert.ok(data.length <= 5);
    pages.push(data);
    assert.ok(pages.length <= all.length, 'the cursor moves back');
  }
  const paged = pages.flat();
  assert.deepEqual(seqs(paged), seqs(all).reverse(), 'every row once, newest first');
  for (const [i, row] of paged.entries()) assertRowIsMessage(row, all[all.length - 1 - i]);

  // Oldest first, forward from a cursor, with only some columns.
  const from = all[3].seq;
  const { data: forward, error: forwardError } = await supabase
    .from('messages')
    .select('id,seq,text')
    .eq('room_id', roomId)
    .gt('seq', from)
    .order('seq', { ascending: true })
    .limit(4);
  assert.equal(forwardError, null);
  assert.deepEqual(
    forward,
    all.slice(4, 8).map((m) => ({ id: m.id, seq: m.seq, text: m.text ?? null })),
  );
});

test("rooms: select lists the caller's rooms and only those", async () => {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  const carol = await newUser(server, 'carol');
  const shared = await groupRoom(server, alice, [bob], 'shared');
  const direct = await directRoom(server, alice, carol);
  const bobs = await groupRoom(server, bob, [], 'bob alone');

  const { data, error } = await supabaseFor(server, alice).from('rooms').select('*');
  assert.equal(error, null);
  assert.deepEqual(data.map((r) => r.id).sort((x, y) => x - y), [shared, direct].sort((x, y) => x - y));
  assert.ok(!data.some((r) => r.id === bobs));
  // The same rooms as Parley's own list gives, field for field.
  const own = await server.call('GET', '/v1/rooms', undefined, alice.token);
  assert.deepEqual(data.map((r) => r.id).sort(), own.rooms.map((r) => r.id).sort());
  for (const room of own.rooms) {
    const row = data.find((r) => r.id === room.id);
    for (const field of ['kind', 'created_by', 'last_seq', 'member_count']) assert.equal(row[field], room[field], field);
    assert.equal(row.name ?? undefined, room.name);
    assert.equal(Date.parse(row.created_at), room.created_at);
  }
  assert.equal(data.find((r) => r.id === shared).kind, 'group');
  assert.equal(data.find((r) => r.id === shared).name, 'shared');
  assert.equal(data.find((r) => r.id === direct).kind, 'direct');
});

test('insert: a row reaches a Parley WebSocket client and another Supabase client', async () => {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  const carol = await newUser(server, 'carol');
  const roomId = await groupRoom(server, alice, [bob, carol]);
  const aliceSocket = await parleySocket(server, alice);
  const carolRows = [];
  const carolChannel = supabaseFor(server, carol)
    .channel(`room:${roomId}`)
    .on('postgres_changes', messagesOfRoom(roomId), (p) => carolRows.push(p.new));
  await subscribe(carolChannel).subscribed();

  const { error } = await supabaseFor(server, bob)
    .from('messages')
    .insert({ room_id: roomId, text: 'from a Supabase app', client_msg_id: 'supabase-insert-1' });
  assert.equal(error, null);

  const message = await waitFor(
    () => aliceSocket.messages().find((m) => m.client_msg_id === 'supabase-insert-1'),
    'the message at the Parley client',
    show(aliceSocket.events),
  );
  assert.equal(message.room_id, roomId);
  assert.equal(message.sender_id, bob.id);
  assert.equal(message.type, 'text');
  assert.equal(message.text, 'from a Supabase app');
  const row = await waitFor(
    () => carolRows.find((r) => r.client_msg_id === 'supabase-insert-1'),
    "the row at the other Supabase client's postgres_changes",
    show(carolRows),
  );
  assertRowIsMessage(row, message);

  // Several rows in one insert: stored in the array's order, and seen in it.
  const batch = ['one', 'two', 'three'].map((text, i) => ({ room_id: roomId, text, client_msg_id: `supabase-batch-${i}` }));
  const inserted = await supabaseFor(server, bob).from('messages').insert(batch).select();
  assert.equal(inserted.error, null);
  assert.deepEqual(inserted.data.map((r) => r.text), ['one', 'two', 'three']);
  assert.deepEqual(seqs(inserted.data), [1, 2, 3].map((i) => message.seq + i));
  const ids = batch.map((r) => r.client_msg_id);
  await waitFor(() => aliceSocket.messages().filter((m) => ids.includes(m.client_msg_id)).length === 3, 'the batch at the Parley client', show(aliceSocket.events));
  await waitFor(() => carolRows.filter((r) => ids.includes(r.client_msg_id)).length === 3, 'the batch at the other Supabase client', show(carolRows));
  assert.deepEqual(
    aliceSocket.messages().filter((m) => ids.includes(m.client_msg_id)).map((m) => m.text),
    ['one', 'two', 'three'],
  );
  assert.deepEqual(seqs(carolRows), [message.seq, ...seqs(inserted.data)]);
});

test('insert: the same client_msg_id twice stores one message', async () => {
  const alice = await newUser(server, 'alice');
  const bob = await newUser(server, 'bob');
  const roomId = await groupRoom(server, alice, [bob]);
  const aliceSocket = await parleySocket(server, alice);
  const bobSupabase = supabaseFor(server, bob);

  const row = { room_id: roomId, text: 'only once', client_msg_id: 'supabase-retry-1' };
  const first = await bobSupabase.from('messages').insert(row).select().single();
  assert.equal(first.error, null);
  assert.equal(first.data.client_msg_id, 'supabase-retry-1');
  assert.equal(first.data.sender_id, bob.id);
  // A retry of the same insert answers the row first stored.
  const again = await bobSupabase.from('messages').insert(row).select().single();
  assert.equal(again.error, null);
  assert.deepEqual(again.data, first.data);
  const plain = await bobSupabase.from('messages').insert(row);
  assert.equal(plain.error, null);
  // Anything the two inserts stored reaches Alice before the next message does.
  const last = await parleySend(server, alice, roomId, 'the next one');
  await waitFor(() => aliceSocket.messages().some((m) => m.seq === last.seq), 'the next message at the Parley client', show(aliceSocket.events));

  const history = await server.history(alice.token, roomId);
  const stored = history.filter((m) => m.client_msg_id === 'supabase-retry-1');
  assert.equal(stored.length, 1);
  assertRowIsMessage(first.data, stored[0]);
  assert.ok(history.some((m) => m.seq === last.seq));
  assert.equal(aliceSocket.messages().filter((m) => m.client_msg_id === 'supabase-retry-1').length, 1);
});

test("insert: into a room the caller is not a member of is refused and stores nothing", async () => {
  const alice = await newUser(server, 'alice');
  const mallory = await newUser(server, 'mallory');
  const roomId = await groupRoom(server, alice);
  const before = await server.history(alice.token, roomId);

  const { error } = await supabaseFor(server, mallory)
    .from('messages')
    .insert({ room_id: roomId, text: 'let me in', client_msg_id: 'intruder-1' });
  assert.notEqual(error, null);
  assert.equal(error.code, '42501', JSON.stringify(error));
  const read = await supabaseFor(server, mallory).from('messages').select('*').eq('room_id', roomId);
  assert.ok(read.error !== null || read.data.length === 0, `nothing of the room is read: ${JSON.stringify(read)}`);
  assert.deepEqual(await server.history(alice.token, roomId), before);
});

test('a key that is not a valid Parley token is refused with 401', async () => {
  const supabase = createClient(server.url, 'not-a-token', {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket },
  });
  const rooms = await supabase.from('rooms').select('*');
  assert.notEqual(rooms.error, null);
  assert.equal(rooms.status, 401);
  const messages = await supabase.from('messages').select('*').eq('room_id', 1);
  assert.equal(messages.status, 401);
});
