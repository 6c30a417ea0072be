// A message's reactions as chips under it: the emoji and how many, pressed when one of them is
// ours; pressing toggles ours. Who reacted is asked of the server whenever a chip is pointed
// at or focused, and shown as the chip's tooltip.
import { h } from '../dom.js';

// onToggle(emoji, mine) adds or takes back ours; whoReacted(emoji) resolves to a line naming
// those who reacted with it.
export function reactionChips(item, { onToggle, whoReacted }) {
  if (!item.reactions?.length) return null;
  const chips = item.reactions.map((r) => {
    const chip = h(
      'button',
      { type: 'button', class: 'reaction', 'aria-pressed': String(!!r.mine), title: r.mine ? 'You reacted' : '', onclick: () => onToggle(r.emoji, !!r.mine) },
      h('span', { class: 'emoji' }, r.emoji),
      ' ',
      h('span', { class: 'count' }, String(r.count)),
    );
    // Asked each time rather than once: the list may have changed since, with the same count.
    let asking = false;
    const explain = () => {
      if (asking) return;
      asking = true;
      whoReacted(r.emoji)
        .then((names) => (chip.title = names))
        .catch(() => {})
        .finally(() => (asking = false));
    };
    chip.addEventListener('pointerenter', explain);
    chip.addEventListener('focus', explain);
    return chip;
  });
  return h('div', { class: 'reactions', role: 'group', 'aria-label': 'Reactions' }, ...chips);
}
