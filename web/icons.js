// Small inline SVG icons (no files to fetch, no fonts to rely on). Each is decorative: the
// element that holds it carries the words for screen readers (aria-label).
const SVG = 'http://www.w3.org/2000/svg';

function svg(viewBox, ...paths) {
  const el = document.createElementNS(SVG, 'svg');
  el.setAttribute('viewBox', viewBox);
  el.setAttribute('aria-hidden', 'true');
  el.setAttribute('focusable', 'false');
  el.classList.add('icon');
  for (const d of paths) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    el.append(path);
  }
  return el;
}

const CHECK = 'M1 8.5l3.5 3.5L11 4.5';
const SECOND_CHECK = 'M7 11.5l.5.5L14 4.5';

export const icons = {
  pending: () => svg('0 0 16 16', 'M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13', 'M8 4.5V8l2.5 1.5'),
  sent: () => svg('0 0 16 16', CHECK),
  delivered: () => svg('0 0 16 16', CHECK, SECOND_CHECK),
  read: () => svg('0 0 16 16', CHECK, SECOND_CHECK),
  failed: () => svg('0 0 16 16', 'M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13', 'M8 4.5v4.5', 'M8 11v.5'),
  attach: () => svg('0 0 24 24', 'M16.5 6.5l-8 8a2.1 2.1 0 0 0 3 3l8.5-8.5a4 4 0 0 0-5.7-5.7L5.8 11.8a6 6 0 0 0 8.5 8.5L21 13.5'),
  send: () => svg('0 0 24 24', 'M3 20.5L21.5 12L3 3.5l2.5 8.5L3 20.5z', 'M5.5 12H13'),
  back: () => svg('0 0 24 24', 'M15 5l-7 7l7 7'),
};

// The words for a message's delivery state, said by screen readers and shown as tooltips.
export const STATUS_LABELS = {
  pending: 'Waiting to send',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
};
