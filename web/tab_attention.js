// Getting the user's attention when the tab is not being looked at: the unread count in the
// tab's title ("(3) Parley"), and a notification for a message that arrives while the tab is
// hidden. Notifications go through the service worker (push_worker.js) with the same tag as its
// push notifications, so a room's newer message replaces the older one instead of stacking, and
// a click opens the room the same way.
import { notificationState } from './push.js';

const TITLE = 'Parley';

export function watchTabAttention(client) {
  function renderTitle() {
    let unread = 0;
    for (const room of client.rooms.values()) unread += room.unread_count || 0;
    document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
  }

  async function notify(message) {
    if (document.visibilityState !== 'hidden' || notificationState() !== 'granted') return;
    const room = client.rooms.get(message.room_id);
    if (!room) return;
    const sender = client.userName(message.sender_id);
    const title = room.kind === 'group' ? `${sender} in ${room.name}` : sender;
    const body = message.text || (message.attachment ? `[${message.type}: ${message.attachment.name}]` : `[${message.type}]`);
    const options = { body, tag: `room-${room.id}`, data: { room_id: room.id } };
    try {
      const registration = await navigator.serviceWorker?.getRegistration();
      if (registration) await registration.showNotification(title, options);
      else new Notification(title, options);
    } catch (err) {
      console.warn('the notification was not shown:', err);
    }
  }

  const unsubscribe = client.subscribe((topic, detail) => {
    if (topic === 'rooms') renderTitle();
    if (topic === 'message') notify(detail);
  });
  renderTitle();
  return () => {
    unsubscribe();
    document.title = TITLE;
  };
}
