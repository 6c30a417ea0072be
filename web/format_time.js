// Times as people say them: "just now", "5 min", "14:02", "yesterday 14:02", "Mon 14:02",
// "12 Apr", and the day names used between messages. Everything takes `now` so that one render
// uses one clock.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function startOfDay(ms) {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

// Whole calendar days between the two instants (0: the same day, 1: yesterday).
function daysBetween(ms, now) {
  return Math.round((startOfDay(now) - startOfDay(ms)) / (24 * HOUR));
}

function dateWords(ms, now) {
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return new Date(ms).toLocaleDateString([], { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
}

// A short time for a room's last message or a presence: recent ones relative, older by day.
export function relativeTime(ms, now = Date.now()) {
  const ago = now - ms;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min`;
  const days = daysBetween(ms, now);
  if (days === 0) return clockTime(ms);
  if (days === 1) return `yesterday ${clockTime(ms)}`;
  if (days < 7) return `${new Date(ms).toLocaleDateString([], { weekday: 'short' })} ${clockTime(ms)}`;
  return dateWords(ms, now);
}

// "last seen 5 min ago", "last seen yesterday at 14:02".
export function lastSeenWords(ms, now = Date.now()) {
  const ago = now - ms;
  if (ago < MINUTE) return 'last seen just now';
  if (ago < HOUR) return `last seen ${Math.floor(ago / MINUTE)} min ago`;
  const days = daysBetween(ms, now);
  if (days === 0) return `last seen today at ${clockTime(ms)}`;
  if (days === 1) return `last seen yesterday at ${clockTime(ms)}`;
  return `last seen ${dateWords(ms, now)}`;
}

// The separator between messages of different days: "Today", "Yesterday", "Monday 7 December".
export function dayLabel(ms, now = Date.now()) {
  const days = daysBetween(ms, now);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return new Date(ms).toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long', ...(sameYear ? {} : { year: 'numeric' }) });
}

export function sameDay(a, b) {
  return startOfDay(a) === startOfDay(b);
}
