// A search result's snippet with its matched words marked. The server sends the snippet as plain
// text and the words to emphasise as [start, length] pairs counted in Unicode code points
// (docs/protocol.md, "Search"), never as markup: the marks are built here as <mark> elements
// around text nodes, so nothing in a message can ever be read as HTML.
import { h } from './dom.js';

// The snippet cut into runs, in order: [{text, marked}]. Counting by code points (the string's
// iterator), not UTF-16 units, keeps an emoji before a match from shifting the mark. A pair
// that overlaps the one before it, or reaches past the end, is left out rather than trusted.
export function snippetParts(snippet, highlights = []) {
  const chars = Array.from(snippet);
  const parts = [];
  let at = 0;
  for (const [start, length] of highlights) {
    if (!Number.isInteger(start) || !Number.isInteger(length)) continue;
    if (start < at || length <= 0 || start + length > chars.length) continue;
    if (start > at) parts.push({ text: chars.slice(at, start).join(''), marked: false });
    parts.push({ text: chars.slice(start, start + length).join(''), marked: true });
    at = start + length;
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join(''), marked: false });
  return parts;
}

// The snippet as nodes for a result: text, and <mark> around each matched word.
export function snippetNodes(snippet, highlights) {
  return snippetParts(snippet, highlights).map((p) => (p.marked ? h('mark', {}, p.text) : document.createTextNode(p.text)));
}
