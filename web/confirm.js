// Asking before something that cannot be undone (removing a member, leaving a group): a modal
// <dialog>, so focus stays in it, Escape cancels, and focus returns where it was. Cancel has
// the focus first: a stray Enter keeps things as they are.
import { h } from './dom.js';

let count = 0;

export function confirmAction(question, actionLabel) {
  const id = `confirm-${++count}`;
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close('cancel') }, 'Cancel');
    const accept = h('button', { type: 'button', class: 'danger confirm-accept', onclick: () => dialog.close('accept') }, actionLabel);
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': id },
      h('p', { id }, question),
      h('div', { class: 'buttons' }, cancel, accept),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(dialog.returnValue === 'accept');
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
