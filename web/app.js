// Entry point: shows the login form, or the app for the saved login, and swaps between them.
import { Session } from './session.js';
import { Client } from './client.js';
import { h } from './dom.js';
import { renderLogin } from './views/login.js';
import { mountRooms } from './views/rooms.js';
import { mountChat } from './views/chat.js';
import { registerPushWorker } from './push.js';

const root = document.getElementById('app');
const banner = document.getElementById('offline-banner');
const session = new Session();
let client = null;

function showLogin() {
  banner.hidden = true;
  renderLogin(root, session, showApp);
}

function showApp() {
  const sidebar = h('nav', { class: 'sidebar' });
  const main = h('main', { class: 'main' });
  root.replaceChildren(sidebar, main);

  client = new Client(session);
  mountRooms(sidebar, client, {
    onOpen: (roomId) => client.openRoom(roomId),
    onLogout: async () => {
      client.stop();
      client = null;
      await session.logout();
      showLogin();
    },
  });
  mountChat(main, client);

  const showConnection = () => {
    banner.hidden = client.online;
    document.body.classList.toggle('offline', !client.online);
  };
  client.subscribe((topic) => {
    if (topic === 'connection') showConnection();
    if (topic === 'signed-out') {
      client = null;
      session.clear();
      showLogin();
    }
  });
  showConnection();
  client.start();
  // Opened from a notification (push_worker.js): ?room=ID names the room to show.
  const fromNotification = new URLSearchParams(location.search).get('room');
  if (fromNotification !== null) {
    history.replaceState(null, '', '/');
    client.openRoom(Number(fromNotification));
  }
}

// A notification clicked while this tab was open: the service worker says which room.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'open-room' && client && event.data.room_id !== null) client.openRoom(Number(event.data.room_id));
  });
}
registerPushWorker().catch((err) => console.warn('the notification worker was not registered:', err));

// A room read while the tab was in the background is marked read when the user comes back.
document.addEventListener('visibilitychange', () => {
  if (client && client.openRoomId !== null && document.visibilityState === 'visible') client.markRead(client.openRoomId);
});

if (session.user) showApp();
else showLogin();
