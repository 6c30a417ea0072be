// The sidebar: who we are, our status, the button that starts a conversation, the search form
// (views/search.js, whose results stand in for the list while shown), and the rooms list with
// unread counts, the last message (who wrote it, and when) and the peer's presence in direct
// rooms.
import { h, describeError } from '../dom.js';
import { enableNotifications, notificationState } from '../push.js';
import { relativeTime, lastSeenWords } from '../format_time.js';
import { newConversationDialog } from './new_conversation.js';
import { isEvent } from '../message_events.js';

// Relative times ("5 min") go stale: the list is drawn again this often.
const REFRESH_MS = 60 * 1000;

// What is known of a person's presence. While our own connection is down nothing is known: the
// last answer may be stale, so they are not shown offline (nor online).
export function presenceLabel(p, connected = true) {
  if (!connected) return 'presence unknown while you are offline';
  if (!p) return 'offline';
  if (p.online) return p.status && p.status !== 'available' ? p.status : 'online';
  if (p.last_seen_at) return lastSeenWords(p.last_seen_at);
  return 'offline';
}

export function presenceClass(p, connected = true) {
  if (!connected) return 'unknown';
  return p?.online ? 'online' : 'offline';
}

// The server's last message of a room may be an event: it is told as what it did.
const EVENT_PREVIEWS = {
  edit: () => 'edited a message',
  deletion: () => 'deleted a message',
  reaction: (e) => `reacted ${e.text}`,
  reaction_removed: () => 'took back a reaction',
};

// "You: see you", "Bob: see you" in a group, "see you" from the peer of a direct room.
function previewOf(client, room) {
  const last = room.last_message;
  if (!last) return '';
  const body = isEvent(last) ? EVENT_PREVIEWS[last.type](last) : last.deleted ? 'message deleted' : last.text || (last.attachment ? `[${last.type}: ${last.attachment.name}]` : `[${last.type}]`);
  if (last.type === 'system') return body;
  if (last.sender_id === client.me.id) return `You: ${body}`;
  return room.kind === 'group' ? `${client.userName(last.sender_id)}: ${body}` : body;
}

export function mountRooms(root, client, { onOpen, onLogout, onChatOpened, search }) {
  const list = h('ul', { class: 'rooms', id: 'rooms', 'aria-label': 'Conversations' });
  const error = h('p', { class: 'error', role: 'alert' });
  const status = h(
    'select',
    { id: 'my-status', 'aria-label': 'Your status', onchange: () => client.setStatus(status.value).catch(report) },
    ['available', 'away', 'busy', 'invisible'].map((s) => h('option', { value: s }, s)),
  );

  function report(err) {
    error.textContent = describeError(err);
  }

  // Notifications on this browser: one click asks permission, subscribes and registers with the
  // server. Shown as on once done in this page; clicking again registers again (harmless).
  const notifications = h('button', {
    id: 'notifications',
    class: 'link',
    title: 'notifications from Parley while this tab is closed or hidden',
    'aria-pressed': 'false',
    hidden: notificationState() === 'unsupported',
    onclick: async () => {
      error.textContent = '';
      notifications.disabled = true;
      try {
        await enableNotifications(client.conn);
        notifications.textContent = 'Notifications on';
        notifications.setAttribute('aria-pressed', 'true');
      } catch (err) {
        report(err);
      } finally {
        notifications.disabled = false;
      }
    },
  }, 'Notifications');

  const dialog = newConversationDialog(client, { onOpened: onChatOpened });
  const newConversation = h(
    'button',
    { id: 'new-conversation-open', type: 'button', 'aria-haspopup': 'dialog', onclick: () => dialog.open() },
    'New conversation',
  );

  root.replaceChildren(
    h(
      'header',
      { class: 'me' },
      h('strong', { id: 'me-name' }, client.userName(client.me.id)),
      status,
      h('div', { class: 'me-actions' }, notifications, h('button', { class: 'link', onclick: onLogout }, 'Log out')),
    ),
    newConversation,
    search.form,
    error,
    search.results,
    h('h2', { class: 'visually-hidden' }, 'Conversations'),
    list,
    dialog.element,
  );

  function roomEntry(room, now) {
    const connected = client.online;
    const presence = room.kind === 'direct' ? client.presence.get(room.peer_id) : null;
    const last = room.last_message;
    const open = room.id === client.openRoomId;
    return h(
      'li',
      { class: `room${open ? ' open' : ''}`, dataset: { roomId: room.id, kind: room.kind } },
      h(
        'button',
        { type: 'button', class: 'room-open', 'aria-current': open ? 'true' : null, onclick: () => onOpen(room.id) },
        room.kind === 'direct'
          ? h('span', { class: `dot ${presenceClass(presence, connected)}`, role: 'img', 'aria-label': presenceLabel(presence, connected) })
          : h('span', { class: 'dot group', role: 'img', 'aria-label': `group of ${room.member_count}` }),
        h('span', { class: 'title' }, client.roomTitle(room)),
        last ? h('time', { class: 'when', datetime: new Date(last.created_at).toISOString() }, relativeTime(last.created_at, now)) : h('span'),
        h('span', { class: 'preview' }, previewOf(client, room)),
        room.unread_count > 0
          ? [h('span', { class: 'visually-hidden' }, 'unread:'), h('span', { class: 'unread', title: 'unread messages' }, room.unread_count)]
          : null,
      ),
    );
  }

  function render() {
    const self = client.presence.get(client.me.id);
    if (self?.status) status.value = self.status;
    const now = Date.now();
    list.replaceChildren(...client.sortedRooms().map((room) => roomEntry(room, now)));
  }

  client.subscribe((topic) => {
    if (topic === 'rooms' || topic === 'presence' || topic === 'open' || topic === 'connection') render();
  });
  const timer = setInterval(() => (root.isConnected ? render() : clearInterval(timer)), REFRESH_MS);
  render();
}
