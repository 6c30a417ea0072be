// The client's state and the actions on it. Views read from here and call its actions; they
// never talk to the server themselves. Everything that changes calls changed(topic), and views
// re-render the parts they show:
//   'connection', 'rooms', 'presence', 'room:<id>' (messages, typing, status), 'members:<id>',
//   and 'message' with the new message as its detail (for notifications).
import { Connection, ApiError, OFFLINE } from './api.js';
import { Outbox, newClientMsgId } from './outbox.js';
import { Media, messageTypeFor, imageSize } from './media.js';
import { PendingFiles } from './pending_files.js';
import { isEvent, isNewTo, applyEvent } from './message_events.js';

const HISTORY_PAGE = 50;
const SYNC_LIMIT = 100;
// typing.start is repeated while the user types, no more often than this: the server keeps the
// indicator for 6 s after the last one, and repeating sooner only costs requests.
const TYPING_REPEAT_MS = 3000;

// A sync answer is one moment of the server's store: each room's last_seq is the seq up to which
// its catch-up holds the room's events. Room id -> that seq.
function snapshotSeqs(answer) {
  return new Map(answer.rooms.map((room) => [room.id, room.last_seq]));
}

// The messages of one room that this client holds, by seq.
class Timeline {
  constructor() {
    this.bySeq = new Map();
    this.loaded = false; // the newest page is here
    this.hasMore = true; // older messages remain on the server
    this.olderLoad = null; // the page of older messages being fetched, shared by every caller
    this.ownIds = new Set(); // client_msg_ids of our committed messages, to hide their pending copy
  }

  // Events are held too, so that no seq looks missing, but views show only what they changed.
  // knownSeq: the room's seq up to which a message fetched now is current. Returns the message
  // an event changed, if any.
  add(message, meId, knownSeq) {
    if (message.sender_id === meId && message.client_msg_id) this.ownIds.add(message.client_msg_id);
    if (!isEvent(message)) {
      this.bySeq.set(message.seq, { ...message, stateSeq: Math.max(knownSeq, message.seq) });
      return null;
    }
    this.bySeq.set(message.seq, message);
    const target = this.bySeq.get(message.relates_to);
    if (!target || !isNewTo(target, message)) return null;
    applyEvent(target, message, meId);
    return target;
  }

  // Applies the events held here after `seq` to the messages they name, where a message's state
  // is older than them: events that came live while a page read at `seq` was on its way.
  // Returns the messages changed.
  applyEventsAfter(seq, meId) {
    const changed = [];
    for (const event of this.ordered()) {
      if (event.seq <= seq || !isEvent(event)) continue;
      const target = this.bySeq.get(event.relates_to);
      if (!target || !isNewTo(target, event)) continue;
      applyEvent(target, event, meId);
      changed.push(target);
    }
    return changed;
  }

  messages() {
    return this.ordered().filter((m) => !isEvent(m));
  }

  lastSeq() {
    let last = 0;
    for (const seq of this.bySeq.keys()) last = Math.max(last, seq);
    return last;
  }

  firstSeq() {
    let first = Infinity;
    for (const seq of this.bySeq.keys()) first = Math.min(first, seq);
    return first === Infinity ? 0 : first;
  }

  ordered() {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}

export class Client {
  constructor(session) {
    this.session = session;
    this.me = session.user;
    this.conn = new Connection(session);
    this.media = new Media(session);
    this.files = new PendingFiles(this.me.id);
    this.outbox = new Outbox(this.me.id, {
      send: (e) =>
        this.conn.request('messages.send', {
          room_id: e.room_id,
          client_msg_id: e.client_msg_id,
          type: e.type,
          text: e.text,
          ...(e.attachment ? { attachment: e.attachment } : {}),
          ...(e.relates_to ? { relates_to: e.relates_to } : {}),
          ...(e.reply_to ? { reply_to: e.reply_to } : {}),
        }),
      prepare: (e) => this.uploadFileOf(e),
      release: (e) => {
        if (e.file) this.files.release(e.client_msg_id);
      },
      connected: () => this.online,
    });
    this.files.sweep((id) => this.outbox.isStored(id));
    this.rooms = new Map(); // id -> Room
    this.users = new Map(); // id -> User (or Member: both carry username and display_name)
    this.presence = new Map(); // user id -> Presence
    this.timelines = new Map(); // room id -> Timeline
    this.watermarks = new Map(); // room id -> Map(user id -> {delivered_seq, read_seq})
    this.members = new Map(); // room id -> [Member]
    this.typing = new Map(); // room id -> Set of user ids
    this.openRoomId = null;
    this.listeners = new Set();
    this.lastTypingStart = 0;
    this.users.set(this.me.id, this.me);

    this.conn.on('state', () => {
      if (this.conn.state !== 'online') {
        // Offline, we cannot know who is typing or online; the snapshot after reconnecting tells.
        this.typing.clear();
        this.presence.clear();
        this.changed('presence');
      }
      this.changed('connection');
    });
    this.conn.on('online', () => this.onOnline());
    this.conn.on('signed-out', () => this.changed('signed-out'));
    this.conn.on('event:message', (d) => this.onMessage(d.message));
    this.conn.on('event:receipt', (d) => this.onReceipt(d));
    this.conn.on('event:room.unread', (d) => this.patchRoom(d.room_id, { unread_count: d.unread_count, read_seq: d.read_seq }));
    this.conn.on('event:room.joined', (d) => this.onRoomJoined(d.room));
    this.conn.on('event:room.updated', (d) => this.patchRoom(d.room.id, d.room));
    this.conn.on('event:room.left', (d) => this.dropRoom(d.room_id));
    this.conn.on('event:typing', (d) => this.onTyping(d));
    this.conn.on('event:presence.snapshot', (d) => {
      for (const p of [d.self, ...d.users]) this.presence.set(p.user_id, p);
      this.changed('presence');
    });
    this.conn.on('event:presence', (p) => {
      this.presence.set(p.user_id, p);
      this.changed('presence');
    });
    this.outbox.onChange(({ room_id, message }) => {
      if (message) this.addMessages(room_id, [message]);
      this.changed(`room:${room_id}`);
    });
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  changed(topic, detail) {
    for (const fn of this.listeners) fn(topic, detail);
  }

  start() {
    this.conn.start();
  }

  stop() {
    this.conn.stop();
  }

  get online() {
    return this.conn.state === 'online';
  }

  // ---- what views read ----

  timeline(roomId) {
    if (!this.timelines.has(roomId)) this.timelines.set(roomId, new Timeline());
    return this.timelines.get(roomId);
  }

  sortedRooms() {
    const activity = (r) => r.last_message?.created_at ?? r.created_at;
    return [...this.rooms.values()].sort((a, b) => activity(b) - activity(a));
  }

  userName(id) {
    const u = this.users.get(id);
    return u ? u.display_name || u.username : `user ${id}`;
  }

  roomTitle(room) {
    if (room.kind === 'direct') return this.userName(room.peer_id);
    return room.name;
  }

  typingIn(roomId) {
    return [...(this.typing.get(roomId) || [])];
  }

  // The status of one of our messages, derived from the members' watermarks as receipts come.
  statusOf(message) {
    const marks = this.watermarks.get(message.room_id);
    if (!marks || marks.size === 0) return message.status?.state ?? 'sent';
    let recipients = 0;
    let delivered = 0;
    let read = 0;
    for (const [userId, m] of marks) {
      if (userId === this.me.id) continue;
      recipients++;
      if (m.delivered_seq >= message.seq || m.read_seq >= message.seq) delivered++;
      if (m.read_seq >= message.seq) read++;
    }
    if (recipients === 0) return 'sent';
    if (read === recipients) return 'read';
    if (delivered === recipients) return 'delivered';
    return 'sent';
  }

  // ---- connection life ----

  // After every (re)connect: catch up on what was missed, then send what was written meanwhile.
  async onOnline() {
    try {
      await this.sync();
      await this.loadPeerNames();
      for (const room of this.rooms.values()) this.markDelivered(room);
      if (this.openRoomId !== null) {
        if (!this.timeline(this.openRoomId).loaded) await this.loadLatest(this.openRoomId);
        this.markRead(this.openRoomId);
      }
    } catch (err) {
      if (err.code !== OFFLINE) console.error('catching up failed', err);
    } finally {
      this.outbox.flush();
    }
  }

  async sync() {
    let named = [...this.timelines.entries()]
      .filter(([, t]) => t.loaded)
      .map(([room_id, t]) => ({ room_id, after_seq: t.lastSeq() }));
    let first = true;
    while (first || named.length > 0) {
      const answer = await this.conn.request('sync', { rooms: named, limit: SYNC_LIMIT });
      if (first) {
        this.rooms.clear();
        for (const room of answer.rooms) this.rooms.set(room.id, room);
        for (const id of answer.left) this.forgetRoom(id);
      }
      first = false;
      named = [];
      const snapshots = snapshotSeqs(answer);
      for (const c of answer.catch_up) {
        this.setWatermarks(c.room_id, c.members);
        this.addMessages(c.room_id, c.messages, snapshots.get(c.room_id));
        if (c.has_more && c.messages.length > 0) named.push({ room_id: c.room_id, after_seq: c.messages.at(-1).seq });
      }
    }
    this.changed('rooms');
  }

  // Direct rooms carry only the peer's id; the name comes from the room's members.
  async loadPeerNames() {
    const unknown = [...this.rooms.values()].filter((r) => r.kind === 'direct' && !this.users.has(r.peer_id));
    await Promise.all(unknown.map((r) => this.loadMembers(r.id)));
  }

  async loadMembers(roomId) {
    const { members } = await this.conn.request('members.list', { room_id: roomId });
    this.members.set(roomId, members);
    const room = this.rooms.get(roomId);
    if (room) room.member_count = members.length;
    for (const m of members) {
      if (m.user_id !== this.me.id) this.users.set(m.user_id, { id: m.user_id, username: m.username, display_name: m.display_name });
    }
    this.changed('rooms');
    this.changed(`members:${roomId}`);
    return members;
  }

  // ---- events ----

  onMessage(message) {
    const roomId = message.room_id;
    const timeline = this.timeline(roomId);
    const last = timeline.lastSeq();
    // A gap means frames were missed (a slow connection dropped, say): fetch them first.
    if (timeline.loaded && last > 0 && message.seq > last + 1) {
      this.catchUp(roomId, last);
      // Only the messages before it are missing: this one is still news to notify of (the
      // catch-up's rooms list brings its unread count).
      if (!isEvent(message) && message.sender_id !== this.me.id && message.type !== 'system') {
        this.changed('message', message);
      }
      return;
    }
    if (timeline.loaded) this.addMessages(roomId, [message]);
    const set = this.typing.get(roomId);
    if (set?.delete(message.sender_id)) this.changed(`room:${roomId}`);
    const room = this.rooms.get(roomId);
    if (!room) return;
    room.last_seq = Math.max(room.last_seq, message.seq);
    // An event is no message of its own: it never counts as unread nor notifies.
    if (isEvent(message)) {
      this.changed('rooms');
      return;
    }
    room.last_message = message;
    const fromOther = message.sender_id !== this.me.id && message.type !== 'system';
    if (fromOther && this.isVisible(roomId)) this.markRead(roomId);
    else {
      if (fromOther) room.unread_count = (room.unread_count || 0) + 1;
      this.markDelivered(room);
    }
    this.changed('rooms');
    if (fromOther) this.changed('message', message);
  }

  async catchUp(roomId, afterSeq) {
    try {
      const answer = await this.conn.request('sync', { rooms: [{ room_id: roomId, after_seq: afterSeq }], limit: SYNC_LIMIT });
      for (const room of answer.rooms) if (room.id === roomId) this.rooms.set(room.id, room);
      const snapshots = snapshotSeqs(answer);
      for (const c of answer.catch_up) {
        this.setWatermarks(c.room_id, c.members);
        this.addMessages(c.room_id, c.messages, snapshots.get(c.room_id));
        if (c.has_more && c.messages.length > 0) return this.catchUp(roomId, c.messages.at(-1).seq);
      }
      if (this.isVisible(roomId)) this.markRead(roomId);
      this.changed('rooms');
    } catch (err) {
      // Offline: the sync after the reconnect fetches them.
    }
  }

  onReceipt({ room_id, user_id, delivered_seq, read_seq }) {
    if (!this.watermarks.has(room_id)) this.watermarks.set(room_id, new Map());
    this.watermarks.get(room_id).set(user_id, { delivered_seq, read_seq });
    this.changed(`room:${room_id}`);
  }

  onRoomJoined(room) {
    this.rooms.set(room.id, room);
    this.changed('rooms');
    if (room.kind === 'direct' && !this.users.has(room.peer_id)) this.loadMembers(room.id).catch(() => {});
  }

  onTyping({ room_id, user_id, typing }) {
    if (!this.typing.has(room_id)) this.typing.set(room_id, new Set());
    const set = this.typing.get(room_id);
    if (typing) set.add(user_id);
    else set.delete(user_id);
    this.changed(`room:${room_id}`);
  }

  patchRoom(roomId, fields) {
    const room = this.rooms.get(roomId);
    if (!room) return;
    Object.assign(room, fields);
    this.changed('rooms');
  }

  dropRoom(roomId) {
    this.forgetRoom(roomId);
    const wasOpen = this.openRoomId === roomId;
    if (wasOpen) this.openRoomId = null;
    this.changed('rooms');
    if (wasOpen) this.changed('open');
    this.changed(`room:${roomId}`);
  }

  forgetRoom(roomId) {
    this.rooms.delete(roomId);
    this.timelines.delete(roomId);
    this.watermarks.delete(roomId);
    this.members.delete(roomId);
  }

  setWatermarks(roomId, members) {
    const marks = new Map();
    for (const m of members) marks.set(m.user_id, { delivered_seq: m.delivered_seq, read_seq: m.read_seq });
    this.watermarks.set(roomId, marks);
  }

  // snapshotSeq: the room's seq the server read the messages at (a history page's last_seq, a
  // sync's room last_seq); their states hold every event up to it and none after.
  addMessages(roomId, messages, snapshotSeq = 0) {
    const timeline = this.timeline(roomId);
    const room = this.rooms.get(roomId);
    // What the server answers is current up to its snapshot, events included; from a server that
    // does not say, up to the newest seq known here.
    const newestInPage = Math.max(0, ...messages.map((m) => m.seq));
    const knownSeq = snapshotSeq > 0 ? Math.max(snapshotSeq, newestInPage) : Math.max(room?.last_seq || 0, timeline.lastSeq(), newestInPage);
    for (const m of messages) {
      const attachment = isEvent(m) ? timeline.bySeq.get(m.relates_to)?.attachment : null;
      const changed = timeline.add(m, this.me.id, knownSeq);
      if (changed && room?.last_message?.seq === changed.seq) room.last_message = changed;
      if (changed?.deleted && m.type === 'deletion') this.forgetDeleted(roomId, changed.seq, attachment);
      else if (m.deleted) this.forgetDeleted(roomId, m.seq, null);
    }
    if (snapshotSeq > 0) {
      for (const changed of timeline.applyEventsAfter(knownSeq, this.me.id)) {
        if (room?.last_message?.seq === changed.seq) room.last_message = changed;
        if (changed.deleted) this.forgetDeleted(roomId, changed.seq, null);
      }
    }
    const shown = messages.filter((m) => !isEvent(m));
    if (room && messages.length > 0) {
      const newest = messages.reduce((a, b) => (a.seq > b.seq ? a : b));
      const newestShown = shown.length ? timeline.bySeq.get(shown.reduce((a, b) => (a.seq > b.seq ? a : b)).seq) : null;
      if (newest.seq >= (room.last_seq || 0)) room.last_seq = newest.seq;
      if (newestShown && newestShown.seq >= (room.last_message?.seq || 0)) room.last_message = newestShown;
      this.changed('rooms');
    }
    this.changed(`room:${roomId}`);
  }

  // A deleted message must not come back from anything this page keeps: edits or reactions
  // still waiting to name it, and its file's bytes.
  forgetDeleted(roomId, seq, attachment) {
    this.outbox.dropRelated(roomId, seq);
    if (attachment?.upload_id) this.media.forget(attachment.upload_id);
  }

  // ---- actions ----

  isVisible(roomId) {
    return this.openRoomId === roomId && document.visibilityState === 'visible';
  }

  // Back to the rooms list (on a phone, the chat and the list take turns on the screen).
  closeRoom() {
    this.openRoomId = null;
    this.changed('open');
  }

  // Who has received and read one message: {status, delivered_to: [ids], read_by: [ids]}.
  receiptsOf(roomId, seq) {
    return this.conn.request('messages.receipts', { room_id: roomId, seq });
  }

  async openRoom(roomId) {
    this.openRoomId = roomId;
    this.changed('open');
    this.changed(`room:${roomId}`);
    if (!this.online) return;
    try {
      if (!this.timeline(roomId).loaded) await this.loadLatest(roomId);
      if (this.rooms.get(roomId)?.kind === 'group' || !this.members.has(roomId)) await this.loadMembers(roomId);
      if (this.openRoomId === roomId) this.markRead(roomId);
    } catch (err) {
      if (err.code !== OFFLINE) console.error('opening the room failed', err);
    }
  }

  // The newest page of history, then a sync from its end for the members' watermarks (and
  // whatever arrived in between).
  async loadLatest(roomId) {
    const page = await this.conn.request('messages.history', { room_id: roomId, limit: HISTORY_PAGE });
    const timeline = this.timeline(roomId);
    timeline.hasMore = page.has_more;
    timeline.loaded = true;
    this.addMessages(roomId, page.messages, page.last_seq);
    await this.catchUp(roomId, timeline.lastSeq());
  }

  // Called when the user scrolls to the top; resolves to true when older messages were added.
  // A caller arriving while a page is on its way shares it rather than being told "nothing".
  loadOlder(roomId) {
    const timeline = this.timeline(roomId);
    if (timeline.olderLoad) return timeline.olderLoad;
    if (!timeline.loaded || !timeline.hasMore || !this.online) return Promise.resolve(false);
    timeline.olderLoad = this.conn
      .request('messages.history', { room_id: roomId, before: timeline.firstSeq(), limit: HISTORY_PAGE })
      .then((page) => {
        timeline.hasMore = page.has_more;
        this.addMessages(roomId, page.messages, page.last_seq);
        return page.messages.length > 0;
      })
      .catch(() => false)
      .finally(() => {
        timeline.olderLoad = null;
      });
    return timeline.olderLoad;
  }

  // Pages back through a room's history until the message seq is held (a search result being
  // shown, say). Resolves to whether it is; false when offline or the room's start was reached.
  async loadBackTo(roomId, seq) {
    const timeline = this.timeline(roomId);
    while (!timeline.bySeq.has(seq)) {
      if (!(await this.loadOlder(roomId))) return timeline.bySeq.has(seq);
    }
    return true;
  }

  // Full-text search (docs/protocol.md, "Search"): every room we are in, or the one roomId.
  // Resolves to {results, next_cursor}; rejects with the server's refusal (invalid_payload for
  // a blank query or too many words), or with code "offline" at once when there is no connection.
  search(query, { roomId = null, cursor = null } = {}) {
    return this.conn.request('messages.search', {
      query,
      ...(roomId !== null ? { room_id: roomId } : {}),
      ...(cursor !== null ? { cursor } : {}),
    });
  }

  markRead(roomId) {
    const room = this.rooms.get(roomId);
    if (!room || !this.online) return;
    const seq = Math.max(room.last_seq || 0, this.timeline(roomId).lastSeq());
    if (seq === 0 || (room.read_seq >= seq && !room.unread_count)) return;
    this.conn
      .request('receipts.mark', { room_id: roomId, read_seq: seq })
      .then((r) => this.patchRoom(roomId, { read_seq: r.read_seq, delivered_seq: r.delivered_seq, unread_count: r.unread_count }))
      .catch(() => {});
  }

  markDelivered(room) {
    if (!this.online || !room.last_seq || room.delivered_seq >= room.last_seq) return;
    const seq = room.last_seq;
    room.delivered_seq = seq; // optimistic, so a burst of messages does not mark each one twice
    this.conn.request('receipts.mark', { room_id: room.id, delivered_seq: seq }).catch(() => {});
  }

  // reply: the seq of the message answered, or null.
  sendText(roomId, text, reply = null) {
    this.stopTyping(roomId);
    this.outbox.add(roomId, text, reply ? { reply_to: reply } : null);
  }

  // Edits, deletions and reactions go through the outbox like any message: written offline,
  // they leave when the connection returns, in order after what was written before them. They
  // name a committed message (views offer them only on those), so relates_to is known.
  sendEvent(roomId, type, seq, text = '') {
    this.outbox.add(roomId, text, { type, relates_to: seq });
  }

  editMessage(roomId, seq, text) {
    this.sendEvent(roomId, 'edit', seq, text);
  }

  deleteMessage(roomId, seq) {
    this.sendEvent(roomId, 'deletion', seq);
  }

  // Adds our reaction with this emoji, or takes it back when the page shows it as ours (which
  // counts reactions still waiting in the outbox).
  toggleReaction(roomId, seq, emoji, mine) {
    this.sendEvent(roomId, mine ? 'reaction_removed' : 'reaction', seq, emoji);
  }

  // Who reacted with what: [{emoji, user_ids}].
  async reactionsOf(roomId, seq) {
    return (await this.conn.request('messages.reactions', { room_id: roomId, seq })).reactions;
  }

  // The earlier texts of an edited message, oldest first: [{version, text, written_at}].
  async versionsOf(roomId, seq) {
    return (await this.conn.request('messages.versions', { room_id: roomId, seq })).versions;
  }

  isAdminOf(roomId) {
    return (this.members.get(roomId) || []).some((m) => m.user_id === this.me.id && m.role === 'admin');
  }

  // Queues a file message like a text: the file is stored first, then uploaded when the
  // message's turn comes (at once when online, after the reconnect when not), and the message
  // goes once, in order. Resolves once the file is stored, so a reload from then on keeps it.
  async sendFile(roomId, file, caption = '', reply = null) {
    const id = newClientMsgId();
    const mimeType = file.type || 'application/octet-stream';
    const type = messageTypeFor(mimeType);
    const size = type === 'image' ? await imageSize(file) : null;
    await this.files.keep(id, file);
    this.outbox.add(roomId, caption, {
      client_msg_id: id,
      type,
      file: { name: file.name || 'file', mime_type: mimeType, size: file.size, ...(size || {}) },
      ...(reply ? { reply_to: reply } : {}),
    });
  }

  // The outbox's step before sending a file message: its upload, unless that happened already
  // (the upload_id is saved with the entry). Rejects as the upload does: offline keeps the
  // message for later, a refusal (413, 415) fails it.
  async uploadFileOf(entry) {
    if (!entry.file || entry.attachment) return null;
    const id = entry.client_msg_id;
    const blob = await this.files.get(id);
    if (!blob) throw new ApiError('not_found', `${entry.file.name} is no longer kept by this browser`);
    const upload = await this.media.upload(blob, entry.file.name, entry.file.mime_type, entry.file);
    // The sent message shows the same bytes as the pending one: no need to download them.
    const url = await this.files.url(id);
    if (url) this.media.remember(upload.upload_id, url);
    return { attachment: { upload_id: upload.upload_id, name: upload.name, mime_type: upload.mime_type, size: upload.size } };
  }

  // An object URL of a pending message's file, for its preview; null if the file is gone.
  pendingFileUrl(entry) {
    return this.files.url(entry.client_msg_id);
  }

  userTyped(roomId) {
    const now = Date.now();
    if (now - this.lastTypingStart < TYPING_REPEAT_MS) return;
    this.lastTypingStart = now;
    this.conn.request('typing.start', { room_id: roomId }).catch(() => {});
  }

  stopTyping(roomId) {
    if (this.lastTypingStart === 0) return;
    this.lastTypingStart = 0;
    this.conn.request('typing.stop', { room_id: roomId }).catch(() => {});
  }

  async setStatus(status) {
    const p = await this.conn.request('presence.set', { status });
    this.presence.set(p.user_id, p);
    this.changed('presence');
  }

  async openDirect(username) {
    const { room } = await this.conn.request('rooms.direct', { username });
    this.rooms.set(room.id, room);
    if (!this.users.has(room.peer_id)) await this.loadMembers(room.id);
    this.changed('rooms');
    await this.openRoom(room.id);
  }

  async resolveUser(username) {
    const user = await this.conn.request('users.get', { username });
    this.users.set(user.id, user);
    return user;
  }

  async createGroup(name, usernames) {
    const users = await Promise.all(usernames.map((u) => this.resolveUser(u)));
    const room = await this.conn.request('rooms.create', { name, members: users.map((u) => u.id) });
    this.rooms.set(room.id, room);
    this.changed('rooms');
    await this.openRoom(room.id);
  }

  async addMember(roomId, username) {
    const user = await this.resolveUser(username);
    await this.conn.request('members.add', { room_id: roomId, user_id: user.id });
    await this.loadMembers(roomId);
  }

  async removeMember(roomId, userId) {
    await this.conn.request('members.remove', { room_id: roomId, user_id: userId });
    if (userId === this.me.id) this.dropRoom(roomId);
    else await this.loadMembers(roomId);
  }

  async setRole(roomId, userId, role) {
    await this.conn.request('members.role', { room_id: roomId, user_id: userId, role });
    await this.loadMembers(roomId);
  }

  async renameRoom(roomId, name) {
    const room = await this.conn.request('rooms.rename', { room_id: roomId, name });
    this.patchRoom(roomId, room);
  }

  async leaveRoom(roomId) {
    await this.conn.request('rooms.leave', { room_id: roomId });
    this.dropRoom(roomId);
  }
}

export { ApiError };
