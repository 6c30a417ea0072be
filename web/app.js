// Entry point: shows the login form, or the app for the saved login, and swaps between them.
import { Session } from './session.js';
import { Client } from './client.js';
import { h } from './dom.js';
import { renderLogin } from './views/login.js';
import { mountRooms } from './views/rooms.js';
import { mountChat } from './views/chat.js';
import { mountSearch } from './views/search.js';
import { registerPushWorker } from './push.js';
import { mountConnectionStatus } from './connection_status.js';
import { watchTabAttention } from './tab_attention.js';

const root = document.getElementById('app');
const banner = document.getElementById('offline-banner');
const session = new Session();
let client = null;
let unmountApp = () => {};

function showLogin() {
  unmountApp();
  unmountApp = () => {};
  renderLogin(root, session, showApp);
}

function showApp() {
  const sidebar = h('nav', { class: 'sidebar', 'aria-label': 'Conversations' });
  // #app is the page's <main>: on a phone either pane alone is all there is to see.
  const main = h('div', { class: 'main' });
  // The page's heading, for screen readers: either pane may be all that is shown.
  root.replaceChildren(h('h1', { class: 'visually-hidden' }, 'Parley'), sidebar, main);

  client = new Client(session);
  const current = client;
  // Back from a room (on a phone, to the list): the focus goes to the search result that opened
  // it, or else to the room just left.
  const backToList = () => {
    const left = current.openRoomId;
    current.closeRoom();
    if (!search.focusChosen()) sidebar.querySelector(`li[data-room-id="${left}"] button`)?.focus();
  };
  const chat = mountChat(main, client, { onBack: backToList });
  const search = mountSearch(sidebar, client, { onChoose: (roomId, seq) => chat.reveal(roomId, seq) });
  mountRooms(sidebar, client, {
    search,
    onOpen: (roomId) => client.openRoom(roomId),
    onChatOpened: () => chat.focusComposer(),
    onLogout: async () => {
      client.stop();
      client = null;
      await session.logout();
      showLogin();
    },
  });

  // On a narrow screen one pane shows at a time: the list, or the open room (style.css).
  const showPane = () => root.classList.toggle('chat-open', current.openRoomId !== null);
  const unmountStatus = mountConnectionStatus(banner, client);
  const unwatchTab = watchTabAttention(client);
  unmountApp = () => {
    unmountStatus();
    unwatchTab();
    root.classList.remove('chat-open');
  };
  client.subscribe((topic) => {
    if (topic === 'open' || topic === 'rooms') showPane();
    if (topic === 'signed-out') {
      client = null;
      session.clear();
      showLogin();
    }
  });
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
