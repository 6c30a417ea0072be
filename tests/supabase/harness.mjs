// What the Supabase client tests share: a real parleyd per test file (tests/browser/parleyd.mjs),
// users, rooms and messages made through Parley's own HTTP API, a Parley WebSocket client, the
// official Supabase clients pointed at parleyd, and waits that end when their condition holds.
import { after } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@supabase/supabase-js';
import { RealtimeClient } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { Parleyd } from '../browser/parleyd.mjs';

export { WebSocket };

// Only a guard against a hang: every wait ends as soon as what it waits for holds.
export const WAIT_MS = 20000;
const POLL_MS = 20;

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.PARLEY_ARTIFACTS_DIR || join(here, '..', '..', 'build', 'test-artifacts');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `check` until it returns a truthy value, which is returned; fails with `what` and the
// last thing `describe` says after WAIT_MS.
export async function waitFor(check, what, describe = () => '', timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`expected ${what} within ${timeout} ms; ${describe()}`);
    await sleep(POLL_MS);
  }
}

// ---- parleyd -------------------------------------------------------------------------------

// Started once per test file and stopped (its data removed) when the file's tests are done,
// along with every client the file opened.
export async function startParleyd(name, args = []) {
  const server = new Parleyd(join(artifacts, `supabase-${name}`), { args });
  after(async () => {
    await closeClients();
    await server.dispose();
  });
  await server.start();
  return server;
}

export const wsUrl = (server) => server.url.replace(/^http/, 'ws');

let userCount = 0;

// A registered Parley user: {id, username, token, refresh_token}.
export async function newUser(server, name) {
  const username = `${name}${++userCount}${Date.now() % 100000}`;
  const res = await server.register(username);
  return { id: res.user.id, username, token: res.access_token, refresh_token: res.refresh_token };
}

// A group room made by `owner` with `others` as members; its id.
export async function groupRoom(server, owner, others = [], name = 'room') {
  const room = await server.call('POST', '/v1/rooms', { name, members: others.map((u) => u.id) }, owner.token);
  return room.id;
}

export async function directRoom(server, user, other) {
  const res = await server.call('POST', '/v1/rooms/direct', { user_id: other.id }, user.token);
  return res.room.id;
}

let msgCount = 0;

// A text message sent through Parley's HTTP API; the stored Message.
export async function parleySend(server, user, roomId, text, clientMsgId = `parley-${++msgCount}-${Date.now()}`) {
  const res = await server.call(
    'POST',
    `/v1/rooms/${roomId}/messages`,
    { client_msg_id: clientMsgId, type: 'text', text },
    user.token,
  );
  return res.message;
}

// ---- clients -------------------------------------------------------------------------------

const openClients = new Set();

async function closeClients() {
  for (const client of openClients) await client.close();
  openClients.clear();
}

// Stops a RealtimeClient for good: no rejoin or reconnect timer outlives the test. The steps of
// realtime.disconnect() without the 10 s guard timer it leaves behind, which would keep the test
// process alive that long after its last test.
async function closeRealtime(realtime) {
  for (const channel of [...realtime.getChannels()]) channel.teardown();
  realtime._cancelPendingDisconnect();
  await new Promise((resolve) => realtime.socketAdapter.getSocket().disconnect(resolve));
}

// The official client as an app creates it, with the user's Parley access token as its key.
// No Supabase Auth session is kept or refreshed: Parley issues the tokens. `options` are more
// createClient options (accessToken, for one).
export function supabaseFor(server, user, realtime = {}, options = {}) {
  const supabase = createClient(server.url, user.token, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...options,
    realtime: { transport: WebSocket, ...realtime },
  });
  openClients.add({ close: () => closeRealtime(supabase.realtime) });
  return supabase;
}

// realtime-js on its own, for the serializer version, the heartbeat and the token pushes.
// `frames` (when given) records what the client sends: {binary, data} per frame.
export function realtimeFor(server, token, { vsn, heartbeatIntervalMs, heartbeatCallback, frames } = {}) {
  const transport = frames
    ? class RecordingWebSocket extends WebSocket {
        send(data, ...rest) {
          frames.push({ binary: typeof data !== 'string', data });
          return super.send(data, ...rest);
        }
      }
    : WebSocket;
  const options = { transport, params: { apikey: token } };
  if (vsn) options.vsn = vsn;
  if (heartbeatIntervalMs) options.heartbeatIntervalMs = heartbeatIntervalMs;
  if (heartbeatCallback) options.heartbeatCallback = heartbeatCallback;
  const realtime = new RealtimeClient(`${wsUrl(server)}/realtime/v1`, options);
  openClients.add({ close: () => closeRealtime(realtime) });
  return realtime;
}

// Subscribes `channel` and records every status its callback is given, with the error.
export function subscribe(channel) {
  const statuses = [];
  channel.subscribe((status, err) => statuses.push({ status, err }));
  const count = (status) => statuses.filter((s) => s.status === status).length;
  return {
    statuses,
    count,
    // Resolves on the n-th SUBSCRIBED. The first fails at once on any other status before it;
    // later ones (after a reconnect, which the channel sees as CHANNEL_ERROR) only wait.
    async subscribed(n = 1) {
      await waitFor(
        () => {
          if (count('SUBSCRIBED') >= n) return true;
          const failed = statuses.find((s) => s.status !== 'SUBSCRIBED');
          if (failed && n === 1) throw new Error(`subscribe ended ${failed.status}: ${failed.err?.message}`);
          return false;
        },
        `SUBSCRIBED #${n} of ${channel.topic}`,
        () => `statuses: ${JSON.stringify(statuses.map((s) => [s.status, s.err?.message]))}`,
      );
    },
    // Resolves with the first status (and error) among `wanted`.
    async first(...wanted) {
      return waitFor(
        () => statuses.find((s) => wanted.includes(s.status)),
        `${wanted.join(' or ')} of ${channel.topic}`,
        () => `statuses: ${JSON.stringify(statuses.map((s) => [s.status, s.err?.message]))}`,
      );
    },
  };
}

// The postgres_changes binding of a room's messages, as an app writes it.
export const messagesOfRoom = (roomId, extra = {}) => ({
  event: 'INSERT',
  schema: 'public',
  table: 'messages',
  filter: `room_id=eq.${roomId}`,
  ...extra,
});

// Parley's own WebSocket (/v1/ws), authenticated by the token in the query; its events.
export async function parleySocket(server, user) {
  const ws = new WebSocket(`${wsUrl(server)}/v1/ws?token=${encodeURIComponent(user.token)}`);
  const events = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.event) events.push(frame);
  });
  const closed = new Promise((resolve) => ws.once('close', resolve));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  openClients.add({
    close: async () => {
      ws.close();
      await closed;
    },
  });
  await waitFor(() => events.some((e) => e.event === 'ready'), 'the ready event of /v1/ws');
  return {
    events,
    messages: () => events.filter((e) => e.event === 'message').map((e) => e.data.message),
  };
}

// Opens a raw WebSocket to `url`; resolves with the HTTP status of a refused upgrade, or 101.
export function upgradeStatus(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (req, res) => {
      res.resume();
      req.destroy();
      resolve(res.statusCode);
    });
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.on('error', reject); // settled already when the upgrade was answered
  });
}
