// A group's members: admins add and remove members, change roles and rename the group; anyone
// may leave. The server decides who may do what; this view only hides what would be refused.
import { h, describeError } from '../dom.js';

export function mountMembers(root, client, roomId) {
  const error = h('p', { class: 'error', role: 'alert' });
  const list = h('ul', { class: 'member-list' });
  const addName = h('input', { id: 'add-member-username', placeholder: 'username', required: true });
  const rename = h('input', { id: 'rename-group', placeholder: 'new name', required: true });

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
  const leave = h('button', { class: 'danger', onclick: act(() => client.leaveRoom(roomId)) }, 'Leave group');

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
          h('span', { class: `dot ${p?.online ? 'online' : 'offline'}` }),
          h('span', { class: 'name' }, m.display_name || m.username, self ? ' (you)' : ''),
          h('span', { class: 'role' }, m.role),
          amAdmin && !self
            ? [
                h(
                  'button',
                  { class: 'link', onclick: act(() => client.setRole(roomId, m.user_id, m.role === 'admin' ? 'member' : 'admin')) },
                  m.role === 'admin' ? 'Make member' : 'Make admin',
                ),
                h('button', { class: 'link danger', onclick: act(() => client.removeMember(roomId, m.user_id)) }, 'Remove'),
              ]
            : null,
        );
      }),
    );
  }

  root.replaceChildren(h('h3', {}, 'Members'), list, addForm, renameForm, leave, error);
  const unsubscribe = client.subscribe((topic) => {
    if (topic === `members:${roomId}` || topic === 'presence') render();
  });
  render();
  return unsubscribe;
}
