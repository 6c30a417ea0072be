// The actions on one message: a button beside it (shown on hover or focus, always on a touch
// screen) opens a small group of buttons: quick reactions, Reply, and Edit or Delete where they
// are allowed. Plain buttons in the tab order rather than an ARIA menu: nothing to learn, and
// Escape closes the group and gives focus back to the button that opened it.
import { h } from '../dom.js';

// A few common reactions, offered with one press; any other emoji can still come from others.
export const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉'];

export function actionsToggle(item, open, onToggle) {
  return h(
    'button',
    {
      type: 'button',
      class: 'actions-toggle',
      'aria-label': 'Message actions',
      title: 'Message actions',
      'aria-expanded': String(open),
      'aria-controls': open ? `actions-${item.seq}` : null,
      onclick: onToggle,
    },
    '⋯',
  );
}

// allowed: {edit, delete}; on: {react(emoji, mine), reply(), edit(), delete(), close()}.
export function actionsMenu(item, allowed, on) {
  const reactions = QUICK_EMOJI.map((emoji) => {
    const mine = item.reactions?.some((r) => r.emoji === emoji && r.mine);
    return h('button', { type: 'button', class: 'quick-reaction', 'aria-label': `React with ${emoji}`, 'aria-pressed': String(!!mine), onclick: () => on.react(emoji, !!mine) }, emoji);
  });
  const menu = h(
    'div',
    { class: 'message-actions', id: `actions-${item.seq}`, role: 'group', 'aria-label': 'Actions on this message' },
    h('div', { class: 'quick-reactions' }, ...reactions),
    h('button', { type: 'button', class: 'action-reply', onclick: on.reply }, 'Reply'),
    allowed.edit ? h('button', { type: 'button', class: 'action-edit', onclick: on.edit }, 'Edit') : null,
    allowed.delete ? h('button', { type: 'button', class: 'action-delete danger', onclick: on.delete }, 'Delete') : null,
  );
  menu.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    on.close();
  });
  return menu;
}
