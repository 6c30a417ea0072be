// Notifications in this browser: the service worker (push_worker.js), the permission, the push
// subscription made with the server's VAPID key, and its registration with the server as a push
// target (the push.register frame), so that messages arrive while no tab is open.

const WORKER_URL = '/push_worker.js';

export function pushSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

// Registered on every start, so that an updated worker is picked up; nothing is asked of the user.
export function registerPushWorker() {
  if (!('serviceWorker' in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker.register(WORKER_URL, { scope: '/' });
}

export function notificationState() {
  if (!pushSupported()) return 'unsupported';
  return Notification.permission; // 'default', 'granted' or 'denied'
}

function bytesOfBase64url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function sameBytes(a, b) {
  if (!a || !b) return false;
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

// Asks for permission, subscribes with the server's key and registers the subscription. Throws
// an Error saying what to do when the browser cannot or the user will not.
export async function enableNotifications(conn) {
  if (!pushSupported()) throw new Error('This browser cannot show notifications from the server.');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    throw new Error('Notifications are blocked for this site: allow them in the browser’s site settings.');
  }
  const registration = await navigator.serviceWorker.ready;
  const { public_key: publicKey } = await conn.request('push.webpush_key');
  const serverKey = bytesOfBase64url(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made with another key (the server's key was replaced) no longer works.
  if (subscription && !sameBytes(subscription.options.applicationServerKey, serverKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  if (!subscription) {
    subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey });
  }
  const { endpoint, keys } = subscription.toJSON();
  await conn.request('push.register', { kind: 'webpush', endpoint, p256dh: keys.p256dh, auth: keys.auth });
  return subscription;
}
