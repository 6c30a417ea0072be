// Searching messages, in the sidebar: a search form, and while results are shown they take the
// rooms list's place (on a phone the sidebar is the whole screen, so one list at a time reads
// best there too). Results come from the server (messages.search), best match first, a page at
// a time; choosing one opens its room at that message. Escape closes the results.
import { h } from '../dom.js';
import { relativeTime } from '../format_time.js';
import { snippetNodes } from '../search_snippet.js';
import { OFFLINE } from '../api.js';

const NEEDS_CONNECTION = 'Search needs the connection; try again when it is back.';

// sidebar: the element whose rooms list the results replace (it gets the class "searching").
// onChoose(roomId, seq): a result was chosen.
export function mountSearch(sidebar, client, { onChoose }) {
  const query = h('input', {
    id: 'search-query',
    type: 'search',
    name: 'query',
    placeholder: 'Search messages',
    'aria-label': 'Search messages',
    autocomplete: 'off',
    enterkeyhint: 'search',
  });
  const thisRoom = h('input', { id: 'search-this-room', type: 'checkbox' });
  const scopeName = h('span', {});
  // The open room, or on a phone the one just left (there the list and the room take turns on
  // the screen, so no room is open while the search form can be seen).
  let scopeRoomId = null;
  const scope = h('label', { class: 'search-scope', hidden: true }, thisRoom, ' Only in ', scopeName);
  const form = h(
    'form',
    { id: 'search', class: 'search', role: 'search', 'aria-label': 'Messages', onsubmit: (e) => submit(e) },
    h('div', { class: 'search-row' }, query, h('button', { type: 'submit', id: 'search-submit' }, 'Search')),
    scope,
  );

  const status = h('p', { id: 'search-status', class: 'search-status', role: 'status' });
  const list = h('ul', { id: 'search-results-list', class: 'search-results-list', 'aria-label': 'Messages found' });
  const more = h('button', { id: 'search-more', type: 'button', class: 'secondary', hidden: true, onclick: () => fetchPage() }, 'More results');
  const closeButton = h('button', { id: 'search-close', type: 'button', class: 'link', onclick: () => close() }, 'Close search');
  const results = h(
    'section',
    { id: 'search-results', class: 'search-results', 'aria-labelledby': 'search-results-title', hidden: true },
    h('div', { class: 'search-head' }, h('h2', { id: 'search-results-title' }, 'Search results'), closeButton),
    status,
    list,
    more,
  );

  // The search being shown: {query, roomId, cursor}; `ticket` lets an answer that comes after a
  // newer search started (or after the results were closed) be dropped instead of shown.
  let current = null;
  let ticket = 0;
  let chosen = null; // the result button last chosen, given the focus back on returning

  function submit(e) {
    e.preventDefault();
    // The query goes as typed: the server says what it refuses (blank, too long, too many words).
    current = { query: query.value, roomId: thisRoom.checked && !scope.hidden ? scopeRoomId : null, cursor: null };
    list.replaceChildren();
    chosen = null;
    open();
    fetchPage();
  }

  function open() {
    results.hidden = false;
    sidebar.classList.add('searching');
  }

  function close() {
    ticket++;
    current = null;
    chosen = null;
    results.hidden = true;
    list.replaceChildren();
    sidebar.classList.remove('searching');
    query.focus();
  }

  function say(text, isError = false) {
    status.textContent = text;
    status.classList.toggle('error', isError);
  }

  async function fetchPage() {
    const asked = ++ticket;
    const search = current;
    more.hidden = true;
    // Offline the request would be refused at once anyway; saying why is the useful part.
    if (!client.online) {
      say(NEEDS_CONNECTION, true);
      return;
    }
    say('Searching…');
    let page;
    try {
      page = await client.search(search.query, { roomId: search.roomId, cursor: search.cursor });
      await knowSenders(page.results);
    } catch (err) {
      if (asked !== ticket) return;
      say(err.code === OFFLINE ? NEEDS_CONNECTION : err.message, true);
      more.hidden = search.cursor === null;
      return;
    }
    if (asked !== ticket) return;
    const firstPage = search.cursor === null;
    search.cursor = page.next_cursor ?? null;
    const added = page.results.map((r) => resultView(r));
    list.append(...added);
    more.hidden = search.cursor === null;
    const count = list.children.length;
    if (count === 0) say('No messages match.');
    else say(`${count} ${count === 1 ? 'message' : 'messages'} found${search.cursor === null ? '' : ', more below'}.`);
    // "More results" is gone once pressed: the keyboard carries on from the first new result.
    if (!firstPage) added[0]?.querySelector('button')?.focus();
  }

  // Names of senders this page has not met yet (a group's members are loaded when it is opened):
  // fetched before the results are drawn, so that none shows as "user 7".
  async function knowSenders(found) {
    const rooms = new Set(found.filter((r) => !client.users.has(r.sender_id)).map((r) => r.room_id));
    await Promise.all([...rooms].map((id) => client.loadMembers(id).catch(() => {})));
  }

  function resultView(r) {
    const room = client.rooms.get(r.room_id);
    const sender = r.sender_id === client.me.id ? 'You' : client.userName(r.sender_id);
    const button = h(
      'button',
      {
        type: 'button',
        class: 'search-result',
        dataset: { roomId: r.room_id, seq: r.seq },
        onclick: () => {
          chosen = button;
          onChoose(r.room_id, r.seq);
        },
      },
      h('span', { class: 'search-result-room' }, room ? client.roomTitle(room) : 'Conversation'),
      h('time', { class: 'search-result-when', datetime: new Date(r.created_at).toISOString(), title: new Date(r.created_at).toLocaleString() }, relativeTime(r.created_at)),
      h(
        'span',
        { class: 'search-result-text' },
        h('span', { class: 'search-result-sender' }, `${sender}: `),
        // A file's words may be in its name or its caption: the kind of message says which.
        r.type === 'text' ? null : h('span', { class: 'search-result-type' }, `[${r.type}] `),
        h('span', { class: 'search-result-snippet' }, snippetNodes(r.snippet, r.highlights)),
      ),
    );
    return h('li', {}, button);
  }

  // Escape closes the results, from the search box or from anywhere in them. With no results
  // open it is left to the search box, which clears itself.
  const closeOnEscape = (e) => {
    if (e.key !== 'Escape' || results.hidden) return;
    e.preventDefault();
    close();
  };
  form.addEventListener('keydown', closeOnEscape);
  results.addEventListener('keydown', closeOnEscape);

  function renderScope() {
    if (client.openRoomId !== null) scopeRoomId = client.openRoomId;
    const room = scopeRoomId === null ? null : client.rooms.get(scopeRoomId);
    if (!room) scopeRoomId = null;
    scope.hidden = !room;
    scopeName.textContent = room ? client.roomTitle(room) : '';
  }
  client.subscribe((topic) => {
    if (topic === 'open' || topic === 'rooms') renderScope();
  });
  renderScope();

  return {
    form,
    results,
    // Back from a room opened from the results: the focus returns to the result chosen.
    // Returns false when there is none to return to.
    focusChosen() {
      if (!chosen?.isConnected || results.hidden) return false;
      chosen.focus();
      return true;
    },
  };
}
