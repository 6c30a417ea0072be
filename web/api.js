// Talking to parleyd: plain HTTP for the few calls made before a connection exists (register,
// log in, refresh), and one WebSocket for everything else. The socket reconnects by itself
// with backoff, and replies are matched to requests by id, since the server may answer them
// in any order.

export class ApiError extends Error {
  constructor(code, message, extra = {}) {
    super(message || code);
    this.code = code;
    Object.assign(this, extra);
  }
}

// Raised for requests that could not reach the server; callers keep the work for later.
export const OFFLINE = 'offline';

export async function http(method, path, body, token) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(OFFLINE, 'the server cannot be reached');
  }
  let data = {};
  try {
    data = await res.json();
  } catch {
    // Bodies that are not JSON (a proxy's error page, say) fall through to the status check.
  }
  if (!res.ok) {
    const e = data.error || {};
    throw new ApiError(e.code || 'internal', e.message || res.statusText, { status: res.status });
  }
  return data;
}

// Backoff between reconnect attempts: fast at first (a server restart takes a moment), then
// capped low enough that a user coming back online is not kept waiting long.
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 3000;
// A reply that never comes (a half-open socket) must not hold a caller forever.
const REQUEST_TIMEOUT_MS = 15000;

export class Connection {
  // session: {accessToken(), refresh()}; refresh resolves to a fresh access token, or rejects
  // with invalid_credentials when the login is over.
  constructor(session) {
    this.session = session;
    this.state = 'offline'; // offline | connecting | online
    this.ws = null;
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject, timer}
    this.listeners = new Map(); // name -> Set of functions
    this.backoff = BACKOFF_FIRST_MS;
    this.retryTimer = null;
    this.stopped = true;
    this.onBrowserOnline = () => this.reconnectNow();
    // The browser knows at once that the network is gone, long before a socket with no traffic
    // notices: the connection is given up then, so that what the page shows is honest.
    this.onBrowserOffline = () => this.dropNow();
  }

  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
    return () => this.listeners.get(name).delete(fn);
  }

  emit(name, data) {
    for (const fn of this.listeners.get(name) || []) {
      try {
        fn(data);
      } catch (err) {
        console.error(`listener of ${name} failed`, err);
      }
    }
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this.onBrowserOnline);
    window.addEventListener('offline', this.onBrowserOffline);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onBrowserOnline);
    window.removeEventListener('offline', this.onBrowserOffline);
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close(1000);
    this.ws = null;
    this.setState('offline');
  }

  reconnectNow() {
    if (this.stopped || this.state !== 'offline') return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  // Closes the socket and treats it as closed now: its close handshake may never finish
  // without a network, and onClosed ignores a socket it no longer holds.
  dropNow() {
    const ws = this.ws;
    if (!ws) return;
    ws.close();
    this.onClosed(ws);
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  connect() {
    this.setState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/v1/ws`);
    this.ws = ws;
    ws.onopen = () => this.authenticate(ws);
    ws.onmessage = (e) => this.onFrame(e.data);
    ws.onclose = () => this.onClosed(ws);
    // An error is always followed by close, where the work is done.
    ws.onerror = () => {};
  }

  async authenticate(ws) {
    try {
      let user;
      try {
        user = (await this.send(ws, 'auth', { token: this.session.accessToken() })).user;
      } catch (err) {
        if (err.code !== 'unauthorized') throw err;
        // The access token expired while we were away: buy a new one and try once more.
        const token = await this.session.refresh();
        user = (await this.send(ws, 'auth', { token })).user;
      }
      if (ws !== this.ws) return;
      this.backoff = BACKOFF_FIRST_MS;
      this.setState('online');
      this.emit('online', user);
    } catch (err) {
      if (err.code === 'invalid_credentials' || err.code === 'unauthorized') {
        this.stop();
        this.emit('signed-out', err);
      } else if (ws === this.ws) {
        ws.close();
      }
    }
  }

  onClosed(ws) {
    if (ws !== this.ws) return;
    this.ws = null;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new ApiError(OFFLINE, 'the connection was lost'));
    }
    this.pending.clear();
    this.setState('offline');
    if (this.stopped) return;
    // Jitter keeps many clients from knocking on a restarted server at the same instant.
    const delay = this.backoff * (0.75 + Math.random() / 2);
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame.event) {
      this.emit(`event:${frame.event}`, frame.data);
      return;
    }
    const p = this.pending.get(frame.id);
    if (!p) return;
    this.pending.delete(frame.id);
    clearTimeout(p.timer);
    if (frame.ok) p.resolve(frame.data);
    else {
      const e = frame.error || {};
      p.reject(new ApiError(e.code || 'internal', e.message, { retry_after_ms: e.retry_after_ms }));
    }
  }

  send(ws, op, params) {
    return new Promise((resolve, reject) => {
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        reject(new ApiError(OFFLINE, 'not connected'));
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError(OFFLINE, `no answer to ${op}`));
        // A connection that stops answering is as good as gone: start over.
        if (ws === this.ws) ws.close();
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ ...params, id, op }));
    });
  }

  // A request on the authenticated connection; rejects with code "offline" when there is none.
  request(op, params = {}) {
    if (this.state !== 'online') return Promise.reject(new ApiError(OFFLINE, 'not connected'));
    return this.send(this.ws, op, params);
  }
}
