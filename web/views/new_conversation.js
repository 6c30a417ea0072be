// Starting a conversation: a direct room with one person, or a group. A modal <dialog> opened
// by the sidebar's button; Escape or Close dismisses it and focus goes back to the button.
import { h, describeError } from '../dom.js';

// onOpened: called once a room was opened from here (the chat then takes the focus).
export function newConversationDialog(client, { onOpened }) {
  const error = h('p', { class: 'error', role: 'alert' });
  const directName = h('input', { id: 'direct-username', placeholder: 'username', required: true, autocomplete: 'off' });
  const groupName = h('input', { id: 'group-name', placeholder: 'group name', required: true });
  const groupMembers = h('input', { id: 'group-members', placeholder: 'usernames, comma separated', autocomplete: 'off' });

  let opener = null;
  // Each form closes the dialog once its room is open; an error keeps it open and says why.
  const submitWith = (action) => async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      await action();
      e.target.reset();
      opener = null;
      dialog.close();
      onOpened?.();
    } catch (err) {
      error.textContent = describeError(err);
    }
  };

  const dialog = h(
    'dialog',
    { id: 'new-conversation', class: 'new-conversation', 'aria-labelledby': 'new-conversation-title' },
    h('h2', { id: 'new-conversation-title' }, 'New conversation'),
    h(
      'form',
      { class: 'new-direct', onsubmit: submitWith(() => client.openDirect(directName.value.trim())) },
      h('label', { for: 'direct-username' }, 'Message one person'),
      h('div', { class: 'row' }, directName, h('button', {}, 'Message')),
    ),
    h(
      'form',
      {
        class: 'new-group',
        onsubmit: submitWith(() =>
          client.createGroup(groupName.value.trim(), groupMembers.value.split(',').map((s) => s.trim()).filter(Boolean)),
        ),
      },
      h('label', { for: 'group-name' }, 'Or start a group'),
      groupName,
      h('label', { for: 'group-members', class: 'visually-hidden' }, 'Members'),
      groupMembers,
      h('button', {}, 'Create group'),
    ),
    error,
    h('button', { type: 'button', class: 'secondary close', onclick: () => dialog.close() }, 'Close'),
  );

  // Dismissed: the focus goes back to what opened the dialog.
  dialog.addEventListener('close', () => {
    error.textContent = '';
    if (opener?.isConnected) opener.focus();
  });

  return {
    element: dialog,
    open() {
      opener = document.activeElement;
      dialog.showModal();
      directName.focus();
    },
  };
}
