// The open room: its messages (ours with their status), who is typing, the composer, and older
// history fetched as the user scrolls up.
import { h, timeOf, describeError } from '../dom.js';
import { presenceLabel } from './rooms.js';
import { mountMembers } from './members.js';

// How close to the top (in pixels) a scroll must come to fetch the previous page: early enough
// that the older messages are usually there before the user reaches them.
const LOAD_OLDER_MARGIN_PX = 150;

function sizeLabel(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function mountChat(root, client) {
  const title = h('h2', { id: 'chat-title' });
  const subtitle = h('span', { id: 'chat-presence', class: 'subtitle' });
  const membersButton = h('button', { id: 'members-toggle', class: 'link', onclick: () => toggleMembers() }, 'Members');
  const messages = h('ol', { id: 'messages', class: 'messages', 'aria-live': 'polite' });
  const olderNote = h('li', { class: 'older-note' });
  const typing = h('p', { id: 'typing', class: 'typing', 'aria-live': 'polite' });
  const text = h('textarea', { id: 'composer-text', rows: 2, placeholder: 'Write a message', maxLength: 16384 });
  // The file input is hidden behind a button: the browser's own control cannot be styled.
  const fileInput = h('input', { id: 'attach-file', type: 'file', hidden: true });
  const attachButton = h('button', { id: 'attach', type: 'button', title: 'Send a file', onclick: () => fileInput.click() }, 'Attach');
  const attachError = h('p', { id: 'attach-error', class: 'error', 'aria-live': 'polite' });
  const composer = h(
    'form',
    { id: 'composer', class: 'composer' },
    attachButton,
    fileInput,
    text,
    h('button', { id: 'send' }, 'Send'),
  );
  const membersPane = h('aside', { id: 'members', class: 'members', hidden: true });
  const empty = h('p', { class: 'empty' }, 'Choose a room, or start a conversation.');
  const pane = h(
    'section',
    { class: 'chat', hidden: true },
    h('header', {}, h('div', {}, title, subtitle), membersButton),
    messages,
    typing,
    attachError,
    composer,
  );
  root.replaceChildren(empty, pane, membersPane);

  let renderedRoom = null;
  let unmountMembers = null;

  function toggleMembers() {
    membersPane.hidden = !membersPane.hidden;
    if (!membersPane.hidden && client.openRoomId !== null) client.loadMembers(client.openRoomId).catch(() => {});
  }

  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!value || client.openRoomId === null) return;
    client.sendText(client.openRoomId, value);
    text.value = '';
  });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files[0];
    const roomId = client.openRoomId;
    fileInput.value = '';
    if (!file || roomId === null) return;
    // The composer's text goes with the file as its caption.
    const caption = text.value.trim();
    attachError.textContent = '';
    attachButton.disabled = true;
    try {
      await client.sendFile(roomId, file, caption);
      if (caption) text.value = '';
    } catch (err) {
      attachError.textContent = `${file.name}: ${describeError(err)}`;
    } finally {
      attachButton.disabled = false;
    }
  });
  text.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter starts a new line, as in most chat apps.
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      composer.requestSubmit();
    }
  });
  text.addEventListener('input', () => {
    if (client.openRoomId === null) return;
    if (text.value.trim()) client.userTyped(client.openRoomId);
    else client.stopTyping(client.openRoomId);
  });

  messages.addEventListener('scroll', async () => {
    const roomId = client.openRoomId;
    if (roomId === null || messages.scrollTop > LOAD_OLDER_MARGIN_PX) return;
    await client.loadOlder(roomId);
  });

  // An image as a preview, any other file as a link that saves it. Both need the bytes fetched
  // with the token first; until then the item shows the file's name.
  function attachmentView(m) {
    const a = m.attachment;
    if (!a?.upload_id) return null;
    if (m.type === 'image') {
      const img = h('img', { class: 'preview', alt: a.name });
      client.media.objectUrl(a.upload_id).then((url) => (img.src = url)).catch(() => {});
      return h('figure', { class: 'attachment' }, img);
    }
    const link = h('a', { class: 'file-link', href: '#', download: a.name }, `${a.name} (${sizeLabel(a.size)})`);
    link.addEventListener('click', async (e) => {
      if (link.getAttribute('href') !== '#') return; // fetched already: the browser saves it
      e.preventDefault();
      try {
        link.href = await client.media.objectUrl(a.upload_id);
        link.click();
      } catch (err) {
        link.title = describeError(err);
      }
    });
    return h('figure', { class: 'attachment' }, link);
  }

  function messageText(m) {
    if (m.attachment?.upload_id) return m.text ? h('span', { class: 'text caption' }, m.text) : null;
    return h('span', { class: 'text' }, m.text || `[${m.type}${m.attachment ? `: ${m.attachment.name}` : ''}]`);
  }

  function messageItem(m) {
    if (m.type === 'system') return h('li', { class: 'message system', dataset: { seq: m.seq } }, m.text);
    const own = m.sender_id === client.me.id;
    const status = own ? client.statusOf(m) : null;
    return h(
      'li',
      { class: `message ${own ? 'own' : 'other'}`, dataset: { seq: m.seq, clientMsgId: m.client_msg_id, status } },
      own ? null : h('span', { class: 'sender' }, client.userName(m.sender_id)),
      attachmentView(m),
      messageText(m),
      h('span', { class: 'meta' }, timeOf(m.created_at), own ? h('span', { class: `status ${status}` }, status) : null),
    );
  }

  // The file of a message not yet sent, from this browser's copy: an image as a preview, any
  // other file by its name (there is nothing to save yet that the user does not have).
  function localAttachmentView(e) {
    if (!e.file) return null;
    if (e.type === 'image') {
      const img = h('img', { class: 'preview', alt: e.file.name });
      client.pendingFileUrl(e).then((url) => url && (img.src = url)).catch(() => {});
      return h('figure', { class: 'attachment' }, img);
    }
    return h('figure', { class: 'attachment' }, h('span', { class: 'file-name' }, `${e.file.name} (${sizeLabel(e.file.size)})`));
  }

  function pendingText(e) {
    if (e.file) return e.text ? h('span', { class: 'text caption' }, e.text) : null;
    // An entry already uploaded when it was written (kept by an earlier version of this page).
    return h('span', { class: 'text' }, e.attachment ? `[${e.type}: ${e.attachment.name}] ${e.text}`.trim() : e.text);
  }

  function pendingItem(e, state) {
    return h(
      'li',
      { class: `message own ${state}`, dataset: { clientMsgId: e.client_msg_id, status: state }, title: e.error },
      localAttachmentView(e),
      pendingText(e),
      h('span', { class: 'meta' }, timeOf(e.written_at), h('span', { class: `status ${state}` }, state)),
    );
  }

  function renderMessages(roomId) {
    const timeline = client.timeline(roomId);
    const switched = renderedRoom !== roomId;
    const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
    const oldHeight = messages.scrollHeight;
    const oldTop = messages.scrollTop;
    const firstBefore = messages.querySelector('li.message')?.dataset.seq;

    olderNote.textContent = !timeline.loaded ? 'Loading…' : timeline.hasMore ? 'Scroll up for older messages' : 'Start of the conversation';
    const items = timeline.ordered().map(messageItem);
    // Our messages not yet acknowledged, after the committed ones, in the order written. One
    // whose acknowledgement is already here (sent before a reconnect) is shown only once.
    const pending = client.outbox
      .forRoom(roomId)
      .filter((e) => !timeline.ownIds.has(e.client_msg_id))
      .map((e) => pendingItem(e, 'pending'));
    const failed = client.outbox.failedForRoom(roomId).map((e) => pendingItem(e, 'failed'));
    messages.replaceChildren(olderNote, ...items, ...pending, ...failed);

    const firstAfter = messages.querySelector('li.message')?.dataset.seq;
    if (switched || atBottom) messages.scrollTop = messages.scrollHeight;
    else if (firstBefore !== firstAfter) messages.scrollTop = oldTop + (messages.scrollHeight - oldHeight); // older page prepended
    renderedRoom = roomId;
  }

  function renderHeader(roomId) {
    const room = client.rooms.get(roomId);
    if (!room) return;
    title.textContent = client.roomTitle(room);
    subtitle.textContent =
      room.kind === 'direct' ? presenceLabel(client.presence.get(room.peer_id)) : `${room.member_count} members`;
    membersButton.hidden = room.kind !== 'group';
    if (room.kind !== 'group') membersPane.hidden = true;
  }

  function renderTyping(roomId) {
    const names = client.typingIn(roomId).map((id) => client.userName(id));
    typing.textContent = names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
  }

  function render() {
    const roomId = client.openRoomId;
    const room = roomId === null ? null : client.rooms.get(roomId);
    pane.hidden = !room;
    empty.hidden = !!room;
    if (!room) {
      membersPane.hidden = true;
      renderedRoom = null;
      return;
    }
    renderHeader(roomId);
    renderMessages(roomId);
    renderTyping(roomId);
  }

  client.subscribe((topic) => {
    const roomId = client.openRoomId;
    if (topic === 'open') {
      if (unmountMembers) unmountMembers();
      unmountMembers = roomId === null ? null : mountMembers(membersPane, client, roomId);
      render();
      text.focus();
    } else if (roomId !== null && topic === `room:${roomId}`) {
      render();
    } else if (topic === 'rooms' || topic === 'presence') {
      if (roomId !== null) renderHeader(roomId);
      if (roomId !== null && !client.rooms.has(roomId)) render();
    }
  });
  render();
}
