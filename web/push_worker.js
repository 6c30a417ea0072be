// The service worker (a classic script, which every browser with Web Push can run): shows a notification for each push message from the server, even when no
// tab of the app is open, and opens the room when the notification is clicked.
//
// The push message is JSON (docs/web-push.md): room_id, room_name (optional), sender_name,
// body (absent when the user chose to keep message text out of notifications) and unread (the
// badge). Messages of one room replace each other's notification (the tag), as the push
// service replaces an undelivered one with the same Topic.

const FALLBACK_TITLE = 'Parley';

function readPayload(event) {
  if (!event.data) return {};
  try {
    const data = event.data.json();
    return data && typeof data === 'object' ? data : {};
  } catch {
    // Not JSON: shown as the notification's text, rather than dropped.
    return { body: event.data.text() };
  }
}

// What the notification shows: "Ann in Team" / "Ann", the message text or a neutral line.
function notificationOf(data) {
  const room = data.room_id ?? data.room ?? null;
  const sender = data.sender_name ?? data.sender_display_name ?? data.sender ?? '';
  const unread = Number.isInteger(data.unread) ? data.unread : null;
  const title = [sender, data.room_name].filter(Boolean).join(' in ') || FALLBACK_TITLE;
  let body = typeof data.body === 'string' && data.body ? data.body : 'New message';
  if (unread !== null && unread > 1) body += ` (${unread} unread)`;
  return {
    title,
    options: {
      body,
      tag: room !== null ? `room-${room}` : 'parley',
      // A newer message of the same room alerts again rather than updating silently.
      renotify: room !== null,
      data: { room_id: room },
    },
  };
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  const data = readPayload(event);
  const { title, options } = notificationOf(data);
  const shown = self.registration.showNotification(title, options);
  // The app icon's badge, where the platform has one (installed web apps).
  const badge = Number.isInteger(data.unread) && self.navigator.setAppBadge ? self.navigator.setAppBadge(data.unread).catch(() => {}) : null;
  event.waitUntil(Promise.all([shown, badge]));
});

// A tab of the app already open is focused and told which room to show; otherwise a new one
// opens on that room.
async function openRoom(roomId) {
  const url = roomId !== null && roomId !== undefined ? `/?room=${encodeURIComponent(roomId)}` : '/';
  const tabs = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const tab = tabs.find((c) => new URL(c.url).origin === self.location.origin);
  if (tab) {
    tab.postMessage({ type: 'open-room', room_id: roomId });
    // Allowed only while a notification click is being handled; the room opens either way.
    await tab.focus().catch(() => {});
    return tab;
  }
  return self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openRoom(event.notification.data?.room_id ?? null));
});
