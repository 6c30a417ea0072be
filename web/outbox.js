// Messages written but not yet acknowledged by the server. Each is saved to localStorage before
// any attempt to send it, with a client_msg_id chosen when it was written, so that:
// - a message written offline survives a reload and is sent on reconnect;
// - a send whose reply was lost is simply sent again: the server recognises the
//   client_msg_id and answers with the original message instead of storing a second one;
// - messages leave in the order they were written, one at a time.
// A file message is written with its file kept aside (see pending_files.js) and no upload yet:
// prepare(entry) uploads it when its turn comes, and the upload_id is saved into the entry
// before the send, so that a reload between the two sends the message without uploading again.

// Errors that sending again cannot fix: the message is given up and shown as failed. conflict:
// an edit or reaction on a message deleted meanwhile, or an edit after the server's window.
const PERMANENT = new Set(['unsupported_media_type', 'invalid_payload', 'payload_too_large', 'not_found', 'forbidden', 'malformed_json', 'invalid_utf8', 'conflict']);

export function newClientMsgId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `w-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

// After a failure that is neither permanent nor a lost connection (an upload's network error
// while the socket stays up, a server error), the head of the outbox is tried again after a
// pause that grows to this, since no reconnect will come to flush it.
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;

export class Outbox {
  // send(entry) resolves to the server's {message, duplicate}; rejects with an ApiError.
  // prepare(entry) resolves to fields to save into the entry before it is sent, or null.
  // release(entry) is called once the entry is done with: acknowledged or given up.
  // connected() says whether a failed send is worth retrying before the next reconnect.
  constructor(userId, { send, prepare = async () => null, release = () => {}, connected = () => false }) {
    this.key = `parley.outbox.${userId}`;
    this.send = send;
    this.prepare = prepare;
    this.release = release;
    this.connected = connected;
    this.retryDelay = RETRY_FIRST_MS;
    this.retryTimer = null;
    this.flushing = false;
    this.listeners = new Set();
    this.failed = []; // given up, shown until the page is reloaded
    try {
      this.entries = JSON.parse(localStorage.getItem(this.key)) || [];
    } catch {
      this.entries = [];
    }
  }

  onChange(fn) {
    this.listeners.add(fn);
  }

  changed(detail) {
    for (const fn of this.listeners) fn(detail);
  }

  save() {
    localStorage.setItem(this.key, JSON.stringify(this.entries));
  }

  // Whether an entry with this client_msg_id is saved, by this page or by another tab of the
  // same login, hence read from storage rather than from this page's copy.
  isStored(clientMsgId) {
    try {
      return (JSON.parse(localStorage.getItem(this.key)) || []).some((e) => e.client_msg_id === clientMsgId);
    } catch {
      return false;
    }
  }

  forRoom(roomId) {
    return this.entries.filter((e) => e.room_id === roomId);
  }

  failedForRoom(roomId) {
    return this.failed.filter((e) => e.room_id === roomId);
  }

  // extra: for a file message, {client_msg_id, type, file: {name, mime_type, size, width?, height?}} with the
  // file kept under that client_msg_id.
  add(roomId, text, extra = null) {
    const entry = { client_msg_id: newClientMsgId(), room_id: roomId, type: 'text', text, written_at: Date.now(), ...extra };
    this.entries.push(entry);
    this.save();
    this.changed({ room_id: roomId });
    this.flush();
    return entry;
  }

  // Forgets what still waits to act on a message deleted meanwhile (an edit's new text, say),
  // except the head, which may be on its way; the server refuses it and it is given up.
  dropRelated(roomId, seq) {
    const related = (e) => e.room_id === roomId && e.relates_to === seq;
    const head = this.flushing ? this.entries[0] : null;
    const kept = this.entries.filter((e) => e === head || !related(e));
    this.failed = this.failed.filter((e) => !related(e));
    if (kept.length === this.entries.length) return;
    this.entries = kept;
    this.save();
    this.changed({ room_id: roomId });
  }

  // Sends every entry in order. Stops at the first one that cannot go now (offline), leaving
  // it and those after it for the next flush, so order is kept across reconnects.
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.retryTimer);
    try {
      while (this.entries.length > 0) {
        const entry = this.entries[0];
        let answer;
        try {
          const fields = await this.prepare(entry);
          if (fields) {
            Object.assign(entry, fields);
            this.save();
          }
          answer = await this.send(entry);
        } catch (err) {
          if (err.code === 'rate_limited') {
            await new Promise((r) => setTimeout(r, err.retry_after_ms || 500));
            continue;
          }
          if (!PERMANENT.has(err.code)) {
            this.retryLater();
            return;
          }
          this.failed.push({ ...entry, error: err.message });
          answer = null;
        }
        this.retryDelay = RETRY_FIRST_MS;
        this.entries.shift();
        this.save();
        this.release(entry);
        this.changed({ room_id: entry.room_id, entry, message: answer?.message });
      }
    } finally {
      this.flushing = false;
    }
  }

  retryLater() {
    if (!this.connected()) return; // the flush after the reconnect takes over
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.flush(), delay);
  }
}
