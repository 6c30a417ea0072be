// A real parleyd for the browser tests (and the Supabase client tests of tests/supabase): a free
// loopback port, a temporary data directory, the web client's files when PARLEY_WEB_DIR names
// them. It can be stopped and started again on the same port and data, as a server restart
// looks to a client.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream, mkdirSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 10000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (see tests/browser/run.sh)`);
  return value;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// GET /healthz over https, trusting only the test's CA.
function healthzOverTls(url, ca) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${url}/healthz`, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', reject);
    req.end();
  });
}

export class Parleyd {
  // `tls`: {certificate, key, ca} (file paths, and the CA's PEM), to serve https:// and wss://.
  // `args`: more command-line options for parleyd.
  constructor(logDir, { tls, args = [] } = {}) {
    this.tls = tls;
    this.args = args;
    this.binary = required('PARLEYD');
    this.webDir = process.env.PARLEY_WEB_DIR || null;
    this.dataDir = mkdtempSync(join(tmpdir(), 'parley-browser-'));
    this.logDir = logDir;
    this.port = 0;
    this.child = null;
    this.starts = 0;
  }

  get url() {
    // Over TLS, the name the certificate is for.
    return this.tls ? `https://localhost:${this.port}` : `http://127.0.0.1:${this.port}`;
  }

  async start() {
    if (!this.port) this.port = await freePort();
    mkdirSync(this.logDir, { recursive: true });
    const log = createWriteStream(join(this.logDir, `parleyd-${++this.starts}.log`));
    const child = spawn(
      this.binary,
      [
        '--host', '127.0.0.1',
        '--port', String(this.port),
        '--data-dir', this.dataDir,
        ...(this.webDir ? ['--web-dir', this.webDir] : []),
        // Cheap password hashing: registration speed is not what these tests are about.
        '--password-memory-kib', '1024',
        // Every test registers its users from this one address.
        '--registrations-per-address', '1000000',
        ...(this.tls ? ['--tls-cert', this.tls.certificate, '--tls-key', this.tls.key] : []),
        ...this.args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    let spawnError = null;
    child.once('error', (err) => (spawnError = err));
    this.exited = new Promise((resolve) => child.once('close', resolve));

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (spawnError) throw new Error(`parleyd could not be started: ${spawnError.message}`);
      if (child.exitCode !== null) throw new Error(`parleyd exited with ${child.exitCode} at start`);
      try {
        if (this.tls) {
          if (await healthzOverTls(this.url, this.tls.ca)) return;
        } else {
          const res = await fetch(`${this.url}/healthz`);
          if (res.ok) return;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error('parleyd did not become healthy in time');
  }

  // SIGTERM, then wait. Throws, failing the test, when parleyd had already exited (it never
  // does by itself: a crash, or a sanitizer report in a sanitizer build), did not exit 0 (a
  // leak is reported only at exit), or had to be killed.
  async stop() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const endedBefore = child.exitCode !== null || child.signalCode !== null;
    let killed = false;
    if (!endedBefore) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    const code = await this.exited;
    clearTimeout(timer);
    const status = code ?? child.signalCode;
    const log = join(this.logDir, `parleyd-${this.starts}.log`);
    if (endedBefore) throw new Error(`parleyd had exited (${status}) before it was asked to stop; see ${log}`);
    if (killed) throw new Error(`parleyd did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM; see ${log}`);
    if (code !== 0) throw new Error(`parleyd exited with ${status} on SIGTERM; see ${log}`);
  }

  async dispose() {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  // ---- HTTP, for seeding and for checking what the server holds ----

  async call(method, path, body, token) {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(`${this.url}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const data = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
    return data;
  }

  async register(username, displayName) {
    return this.call('POST', '/v1/auth/register', { username, password: `${username}-password`, display_name: displayName });
  }

  async login(username) {
    return this.call('POST', '/v1/auth/login', { username, password: `${username}-password` });
  }

  // Every message of a room, oldest first, paging back through history.
  async history(token, roomId) {
    const all = [];
    let before = 0;
    for (;;) {
      const page = await this.call('GET', `/v1/rooms/${roomId}/messages?limit=100${before ? `&before=${before}` : ''}`, undefined, token);
      all.unshift(...page.messages);
      if (!page.has_more) return all;
      before = page.next_before;
    }
  }
}
