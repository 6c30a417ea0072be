// The sidebar: who we are, our status, starting a direct room or a group, and the rooms list
// with unread counts and the peer's presence in direct rooms.
import { h, describeError } from '../dom.js';
import { enableNotifications, notificationState } from '../push.js';

export function presenceLabel(p) {
  if (!p) return 'offline';
  if (p.online) return p.status && p.status !== 'available' ? p.status : 'online';
  if (p.last_seen_at) return `last seen ${new Date(p.last_seen_at).toLocaleString()}`;
  return 'offline';
}

export function mountRooms(root, client, { onOpen, onLogout }) {
  const list = h('ul', { class: 'rooms', id: 'rooms' });
  const error = h('p', { class: 'error', role: 'alert' });
  const status = h(
    'select',
    { id: 'my-status', title: 'your status', onchange: () => client.setStatus(status.value).catch(report) },
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
    title: 'notifications from Parley while this tab is closed',
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

  const directName = h('input', { id: 'direct-username', placeholder: 'username', required: true });
  const directForm = h(
    'form',
    {
      class: 'new-direct',
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        try {
          await client.openDirect(directName.value.trim());
          directName.value = '';
        } catch (err) {
          report(err);
        }
      },
    },
    directName,
    h('button', {}, 'Message'),
  );

  const groupName = h('input', { id: 'group-name', placeholder: 'group name', required: true });
  const groupMembers = h('input', { id: 'group-members', placeholder: 'usernames, comma separated' });
  const groupForm = h(
    'form',
    {
      class: 'new-group',
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        const names = groupMembers.value.split(',').map((s) => s.trim()).filter(Boolean);
        try {
          await client.createGroup(groupName.value.trim(), names);
          groupName.value = '';
          groupMembers.value = '';
        } catch (err) {
          report(err);
        }
      },
    },
    groupName,
    groupMembers,
    h('button', {}, 'Create group'),
  );

  root.replaceChildren(
    h(
      'header',
      { class: 'me' },
      h('strong', { id: 'me-name' }, client.userName(client.me.id)),
      status,
      notifications,
      h('button', { class: 'link', onclick: onLogout }, 'Log out'),
    ),
    h('details', { class: 'start', open: true }, h('summary', {}, 'New conversation'), directForm, groupForm),
    error,
    list,
  );

  function render() {
    const self = client.presence.get(client.me.id);
    if (self?.status) status.value = self.status;
    list.replaceChildren(
      ...client.sortedRooms().map((room) => {
        const presence = room.kind === 'direct' ? client.presence.get(room.peer_id) : null;
        const last = room.last_message;
        return h(
          'li',
          {
            class: `room${room.id === client.openRoomId ? ' open' : ''}`,
            dataset: { roomId: room.id, kind: room.kind },
            onclick: () => onOpen(room.id),
          },
          room.kind === 'direct'
            ? h('span', { class: `dot ${presence?.online ? 'online' : 'offline'}`, title: presenceLabel(presence) })
            : h('span', { class: 'dot group', title: `${room.member_count} members` }),
          h('span', { class: 'title' }, client.roomTitle(room)),
          room.unread_count > 0 ? h('span', { class: 'unread', title: 'unread messages' }, room.unread_count) : null,
          h('span', { class: 'preview' }, last ? last.text || `[${last.type}]` : ''),
        );
      }),
    );
  }

  client.subscribe((topic) => {
    if (topic === 'rooms' || topic === 'presence' || topic === 'open') render();
  });
  render();
}
