// A Web Push service for the tests: it plays the part of the browser vendor's push service
// (RFC 8030), which a test machine cannot reach. It speaks the real protocol and checks what a
// real one checks, with its own code, independent of the server's:
//   - the VAPID token (RFC 8292): an ES256 JWT verified with node:crypto against the key in the
//     Authorization header, which must be the key the subscription was made with; aud is this
//     service's origin, exp lies in the future and at most 24 hours ahead, sub is the expected
//     contact;
//   - the RFC 8030 headers: TTL, Content-Encoding aes128gcm;
//   - the body (RFC 8291 over RFC 8188), decrypted with the npm package http_ece and the
//     subscription's private key, as the browser would.
// Each POST to /push/<id> is answered 201 when every check passes (and the plaintext kept), 400
// with the reason otherwise; /push/gone answers 410, as for a subscription that has ended.
import { createServer } from 'node:http';
import crypto from 'node:crypto';
import ece from 'http_ece';

const MAX_BODY_BYTES = 4096;  // RFC 8030 7.2: a push service must take at least this much
const MAX_TOKEN_LIFETIME_S = 24 * 3600;

// A browser's side of one subscription: its P-256 key pair and auth secret, as
// PushSubscription.toJSON() gives them.
export function makeSubscriptionKeys() {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey('base64url'), auth: crypto.randomBytes(16).toString('base64url') };
}

// The uncompressed public point of a base64url private scalar (what parleyd writes to vapid.key).
export function publicKeyOfScalar(scalarBase64url) {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(scalarBase64url, 'base64url'));
  return ecdh.getPublicKey('base64url');
}

function verifyVapid(authorization, { origin, applicationServerKey, subject }) {
  const match = /^vapid t=([A-Za-z0-9_\-.]+), ?k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error(`Authorization is not "vapid t=..., k=...": ${authorization}`);
  const [, token, k] = match;
  if (k !== applicationServerKey) throw new Error('k is not the key the subscription was made with');
  const point = Buffer.from(k, 'base64url');
  const key = crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
  const [header, claims, signature] = token.split('.');
  const headerJson = JSON.parse(Buffer.from(header, 'base64url').toString());
  if (headerJson.alg !== 'ES256') throw new Error(`alg is ${headerJson.alg}, not ES256`);
  const signed = crypto.verify('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'));
  if (!signed) throw new Error('the VAPID token does not verify with k');
  const c = JSON.parse(Buffer.from(claims, 'base64url').toString());
  if (c.aud !== origin) throw new Error(`aud is ${c.aud}, not ${origin}`);
  const now = Math.floor(Date.now() / 1000);
  if (!(Number.isInteger(c.exp) && c.exp > now && c.exp <= now + MAX_TOKEN_LIFETIME_S))
    throw new Error(`exp ${c.exp} is not within 24 hours from now (${now})`);
  if (subject !== undefined && c.sub !== subject) throw new Error(`sub is ${c.sub}, not ${subject}`);
  return c;
}

export class PushService {
  // `applicationServerKey`: the server's VAPID public key; `subject`: the sub it must send.
  constructor({ applicationServerKey, subject }) {
    this.expected = { applicationServerKey, subject };
    this.subscriptions = new Map();  // id -> keys from makeSubscriptionKeys()
    this.received = [];              // {id, plaintext, headers, claims}
    this.refused = [];               // {id, reason}
    this.waiters = [];
    this.server = createServer((req, res) => this.onRequest(req, res));
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  stop() {
    return new Promise((resolve) => this.server.close(resolve));
  }

  // A new subscription: {endpoint, keys: {p256dh, auth}}, as a browser hands it to the app.
  subscribe(id = crypto.randomUUID()) {
    const keys = makeSubscriptionKeys();
    this.subscriptions.set(id, keys);
    return { endpoint: `${this.origin}/push/${id}`, keys: { p256dh: keys.p256dh, auth: keys.auth } };
  }

  // The next message delivered (or refused) after `count` earlier ones; bounded by `timeoutMs`.
  nextMessage(count, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.received.length > count) return resolve(this.received[count]), true;
        if (this.refused.length) return reject(new Error(`the push service refused: ${this.refused[0].reason}`)), true;
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => reject(new Error(`no push message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push(() => check() && clearTimeout(timer));
    });
  }

  onRequest(req, res) {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const id = decodeURIComponent(req.url.replace(/^\/push\//, ''));
      const answer = (status, reason) => {
        if (status >= 400 && status !== 410) this.refused.push({ id, reason });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(reason ?? '');
        for (const wake of this.waiters.splice(0)) if (!wake()) this.waiters.push(wake);
      };
      if (id === 'gone') return answer(410, 'the subscription has ended');
      const keys = this.subscriptions.get(id);
      if (req.method !== 'POST' || !keys) return answer(404, `no subscription ${id}`);
      if (size > MAX_BODY_BYTES) return answer(413, 'the body is over 4096 bytes');
      try {
        const claims = verifyVapid(req.headers.authorization, { origin: this.origin, ...this.expected });
        if (!/^\d+$/.test(req.headers.ttl ?? '')) throw new Error(`TTL is ${req.headers.ttl}`);
        if (req.headers['content-encoding'] !== 'aes128gcm')
          throw new Error(`Content-Encoding is ${req.headers['content-encoding']}`);
        const plaintext = ece.decrypt(Buffer.concat(chunks), {
          version: 'aes128gcm', privateKey: keys.ecdh, authSecret: keys.auth,
        }).toString('utf8');
        this.received.push({ id, plaintext, headers: req.headers, claims });
        answer(201);
      } catch (err) {
        answer(400, err.message);
      }
    });
  }
}
