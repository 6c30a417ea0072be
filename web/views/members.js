// A group's members: admins add and remove members, change roles and rename the group; anyone
// may leave. The server decides who may do what; this view only hides what would be refused.
// Removing someone and leaving are asked about first.
import { h, describeError } from '../dom.js';
import { confirmAction } from '../confirm.js';
import { presenceClass, presenceLabel } from './rooms.js';

// onClose: hides the pane (on a phone it covers the chat).
export function mountMembers(root, client, roomId, { onClose } = {}) {
  const error = h('p', { class: 'error', role: 'alert' });
  const list = h('ul', { class: 'member-list' });
  const addName = h('input', { id: 'add-member-username', placeholder: 'username', required: true, 'aria-label': 'Username to add' });
  const rename = h('input', { id: 'rename-group', placeholder: 'new name', required: true, 'aria-label': 'New group name' });
  const groupName = () => client.roomTitle(client.rooms.get(roomId) ?? { kind: 'group', name: 'this group' });

  const act = (fn) => async (e) => {
    e?.preventDefault?.();
    error.textContent = '';
    try {
      await fn();
    } catch (err) {
      error.textContent = describeError(err);
    }
  };

  const addForm = h(
    'form',
    { class: 'add-member', onsubmit: act(async () => (await client.addMember(roomId, addName.value.trim()), (addName.value = ''))) },
    addName,
    h('button', {}, 'Add'),
  );
  const renameForm = h(
    'form',
    { class: 'rename', onsubmit: act(async () => (await client.renameRoom(roomId, rename.value.trim()), (rename.value = ''))) },
    rename,
    h('button', {}, 'Rename'),
  );
  const leave = h(
    'button',
    {
      id: 'leave-group',
      class: 'danger',
      onclick: act(async () => {
        if (await confirmAction(`Leave ${groupName()}? You will no longer get its messages.`, 'Leave')) await client.leaveRoom(roomId);
      }),
    },
    'Leave group',
  );
  const remove = (m) =>
    act(async () => {
      const name = m.display_name || m.username;
      if (await confirmAction(`Remove ${name} from ${groupName()}?`, 'Remove')) await client.removeMember(roomId, m.user_id);
    });

  function render() {
    const members = client.members.get(roomId) || [];
    const amAdmin = members.some((m) => m.user_id === client.me.id && m.role === 'admin');
    addForm.hidden = !amAdmin;
    renameForm.hidden = !amAdmin;
    list.replaceChildren(
      ...members.map((m) => {
        const p = client.presence.get(m.user_id);
        const self = m.user_id === client.me.id;
        return h(
          'li',
          { dataset: { userId: m.user_id } },
          h('span', { class: `dot ${presenceClass(p, client.online)}`, role: 'img', 'aria-label': presenceLabel(p, client.online) }),
          h('span', { class: 'name' }, m.display_name || m.username, self ? ' (you)' : ''),
          h('span', { class: 'role' }, m.role),
          amAdmin && !self
            ? [
                h(
                  'button',
                  { class: 'link', onclick: act(() => client.setRole(roomId, m.user_id, m.role === 'admin' ? 'member' : 'admin')) },
                  m.role === 'admin' ? 'Make member' : 'Make admin',
                ),
                h('button', { class: 'link danger', 'aria-label': `Remove ${m.display_name || m.username}`, onclick: remove(m) }, 'Remove'),
              ]
            : null,
        );
      }),
    );
  }

  const close = h('button', { type: 'button', class: 'link members-close', onclick: () => onClose?.() }, 'Close');
  root.replaceChildren(h('div', { class: 'members-head' }, h('h3', {}, 'Members'), close), list, addForm, renameForm, leave, error);
  const unsubscribe = client.subscribe((topic) => {
    if (topic === `members:${roomId}` || topic === 'presence' || topic === 'connection') render();
  });
  render();
  return unsubscribe;
}
