// The files of outbox messages not yet acknowledged, by the message's client_msg_id. Each is
// written to IndexedDB before its message joins the outbox, so that a file attached offline
// survives a reload like a text does. This page also keeps its own reference to the file: it
// is what gets uploaded while the page lives, and the only copy when IndexedDB cannot be used
// (storage disabled, or full), in which case the file is still sent if the page stays open.
import { FileStore } from './file_store.js';

export class PendingFiles {
  constructor(userId) {
    // One database per user, so that clearing leftovers never touches another login's files.
    this.store = new FileStore(`parley.files.${userId}`);
    this.memory = new Map(); // client_msg_id -> Blob, for this page
    this.urls = new Map(); // client_msg_id -> Promise of an object URL (or null), to show it
  }

  // Resolves once the file is stored (or storing it failed: it is then kept for this page only).
  async keep(id, blob) {
    this.memory.set(id, blob);
    this.urls.set(id, Promise.resolve(URL.createObjectURL(blob)));
    try {
      await this.store.put(id, blob);
    } catch (err) {
      console.warn('the file cannot be stored in this browser; it is sent only if the page stays open', err);
    }
  }

  // The Blob, or null when it is gone (stored by a page that could not write to IndexedDB).
  async get(id) {
    if (this.memory.has(id)) return this.memory.get(id);
    try {
      return (await this.store.get(id)) ?? null;
    } catch {
      return null;
    }
  }

  // An object URL of the file for a preview, made once per page.
  url(id) {
    if (!this.urls.has(id)) this.urls.set(id, this.get(id).then((blob) => (blob ? URL.createObjectURL(blob) : null)));
    return this.urls.get(id);
  }

  // The message is acknowledged (or given up): the stored copy is no longer needed. The object
  // URL stays, since the message is still on screen.
  async release(id) {
    this.memory.delete(id);
    try {
      await this.store.delete(id);
    } catch {
      // Left behind; the next page's sweep removes it.
    }
  }

  // Removes stored files no outbox entry refers to: left by a page closed between a message's
  // acknowledgement and the deletion of its file.
  async sweep(isWanted) {
    try {
      for (const id of await this.store.keys()) {
        if (!this.memory.has(id) && !isWanted(id)) await this.store.delete(id);
      }
    } catch {
      // Nothing stored, or storage unavailable: nothing to clear.
    }
  }
}
