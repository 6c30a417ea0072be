// Files: uploading one before its message is sent, and fetching one to show or save. Uploads
// are read with the access token in the Authorization header, which <img src> and <a href>
// cannot send, so the bytes are fetched here and handed to the page as object URLs.
import { ApiError, OFFLINE } from './api.js';

// The message type a file makes, from its media type (as the server checks it).
export function messageTypeFor(mimeType) {
  const family = (mimeType || '').toLowerCase().split('/')[0];
  return ['image', 'audio', 'video'].includes(family) ? family : 'file';
}

// An image's size in pixels, so that its place in the message list is kept before it loads;
// null for anything the browser cannot decode (the server then stores the file without one).
export async function imageSize(blob) {
  try {
    const bitmap = await createImageBitmap(blob);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}

async function errorOf(res) {
  let data = {};
  try {
    data = await res.json();
  } catch {
    // Not JSON: the status says enough.
  }
  const e = data.error || {};
  return new ApiError(e.code || 'internal', e.message || res.statusText, { status: res.status });
}

export class Media {
  // session: {accessToken(), refresh()}
  constructor(session) {
    this.session = session;
    this.urls = new Map(); // upload_id -> Promise of an object URL; an upload never changes
  }

  // A request with the access token, once more with a fresh one if it had expired.
  async authorized(path, init = {}) {
    for (let attempt = 0; ; attempt++) {
      const headers = { ...(init.headers || {}), Authorization: `Bearer ${this.session.accessToken()}` };
      let res;
      try {
        res = await fetch(path, { ...init, headers });
      } catch {
        throw new ApiError(OFFLINE, 'the server cannot be reached');
      }
      if (res.status === 401 && attempt === 0) {
        await this.session.refresh();
        continue;
      }
      if (!res.ok) throw await errorOf(res);
      return res;
    }
  }

  // POST /v1/uploads with the file as the raw body; resolves to the server's Upload. The name
  // and type are given apart: a Blob read back from storage may not carry them. An image's
  // width and height go along, and come back in every message that carries it.
  async upload(blob, name = blob.name, mimeType = blob.type, size = null) {
    const query = new URLSearchParams({ name: name || 'file' });
    if (size?.width > 0 && size?.height > 0) {
      query.set('width', String(size.width));
      query.set('height', String(size.height));
    }
    const res = await this.authorized(`/v1/uploads?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': mimeType || 'application/octet-stream' },
      body: blob,
    });
    return (await res.json()).upload;
  }

  // An object URL this page made already from the upload's own bytes (the file it sent).
  remember(uploadId, url) {
    if (!this.urls.has(uploadId)) this.urls.set(uploadId, Promise.resolve(url));
  }

  // Drops the bytes of a deleted message's file.
  forget(uploadId) {
    const url = this.urls.get(uploadId);
    this.urls.delete(uploadId);
    url?.then((u) => URL.revokeObjectURL(u)).catch(() => {});
  }

  // An object URL for the upload's bytes, fetched once per page.
  objectUrl(uploadId) {
    if (!this.urls.has(uploadId)) {
      const url = this.authorized(`/v1/uploads/${encodeURIComponent(uploadId)}`)
        .then((res) => res.blob())
        .then((blob) => URL.createObjectURL(blob));
      // A failed fetch (offline, say) is tried again the next time the message is drawn.
      url.catch(() => this.urls.delete(uploadId));
      this.urls.set(uploadId, url);
    }
    return this.urls.get(uploadId);
  }
}
