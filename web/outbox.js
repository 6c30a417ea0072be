// Messages written but not yet acknowledged by the server. Each is saved to localStorage before
// any attempt to send it, with a client_msg_id chosen when it was written, so that:
// - a message written offline survives a reload and is sent on reconnect;
// - a send whose reply was lost is simply sent again: the server recognises the
//   client_msg_id and answers with the original message instead of storing a second one;
// - messages leave in the order they were written, one at a time.

// Errors that sending again cannot fix: the message is given up and shown as failed.
const PERMANENT = new Set(['unsupported_media_type', 'invalid_payload', 'payload_too_large', 'not_found', 'forbidden', 'malformed_json', 'invalid_utf8']);

export function newClientMsgId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `w-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export class Outbox {
  // send(entry) resolves to the server's {message, duplicate}; rejects with an ApiError.
  constructor(userId, send) {
    this.key = `parley.outbox.${userId}`;
    this.send = send;
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

  forRoom(roomId) {
    return this.entries.filter((e) => e.room_id === roomId);
  }

  failedForRoom(roomId) {
    return this.failed.filter((e) => e.room_id === roomId);
  }

  // file: {type, attachment} for a file message whose upload is on the server already.
  add(roomId, text, file = null) {
    const entry = { client_msg_id: newClientMsgId(), room_id: roomId, type: 'text', text, written_at: Date.now(), ...file };
    this.entries.push(entry);
    this.save();
    this.changed({ room_id: roomId });
    this.flush();
    return entry;
  }

  // Sends every entry in order. Stops at the first one that cannot go now (offline), leaving
  // it and those after it for the next flush, so order is kept across reconnects.
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.entries.length > 0) {
        const entry = this.entries[0];
        let answer;
        try {
          answer = await this.send(entry);
        } catch (err) {
          if (err.code === 'rate_limited') {
            await new Promise((r) => setTimeout(r, err.retry_after_ms || 500));
            continue;
          }
          if (!PERMANENT.has(err.code)) return;
          this.failed.push({ ...entry, error: err.message });
          answer = null;
        }
        this.entries.shift();
        this.save();
        this.changed({ room_id: entry.room_id, entry, message: answer?.message });
      }
    } finally {
      this.flushing = false;
    }
  }
}
