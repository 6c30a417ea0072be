// A message's life as the server tells it: edits, deletions and reactions are messages of their
// own (events, each with its seq and `relates_to`), applied to the message they name and never
// shown as messages themselves. History and sync hand out every message in its current state
// as well as the events, so an event is applied only to a copy older than the event: each held
// message remembers the seq up to which its state is known (stateSeq).

export const EVENT_TYPES = new Set(['edit', 'deletion', 'reaction', 'reaction_removed']);

export function isEvent(message) {
  return EVENT_TYPES.has(message.type);
}

// Whether the event changes this copy of its target: not when the copy came from the server
// after the event (it already shows it), nor when the event was applied to it before.
export function isNewTo(target, event) {
  return (target.stateSeq ?? 0) < event.seq;
}

// Changes `target` (a Message object) as `event` says, in place. meId marks our own reactions.
export function applyEvent(target, event, meId) {
  const mine = event.sender_id === meId;
  switch (event.type) {
    case 'edit':
      if (target.deleted) break;
      target.text = event.text;
      target.edited_at = event.created_at;
      break;
    case 'deletion':
      target.deleted = true;
      target.deleted_at = event.created_at;
      target.text = '';
      delete target.attachment;
      delete target.reactions;
      delete target.edited_at;
      break;
    case 'reaction': {
      if (target.deleted) break;
      const reactions = (target.reactions = [...(target.reactions || [])]);
      const i = reactions.findIndex((r) => r.emoji === event.text);
      if (i < 0) reactions.push({ emoji: event.text, count: 1, mine });
      else if (!(mine && reactions[i].mine)) reactions[i] = { ...reactions[i], count: reactions[i].count + 1, mine: reactions[i].mine || mine };
      break;
    }
    case 'reaction_removed': {
      const reactions = (target.reactions || []).map((r) => ({ ...r }));
      const r = reactions.find((x) => x.emoji === event.text);
      if (!r || (mine && !r.mine)) break;
      r.count -= 1;
      if (mine) r.mine = false;
      target.reactions = reactions.filter((x) => x.count > 0);
      break;
    }
  }
  if (event.seq) target.stateSeq = Math.max(target.stateSeq ?? 0, event.seq);
}
