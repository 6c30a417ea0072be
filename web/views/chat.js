// The open room: its messages (grouped by sender and day, ours with their delivery ticks), who
// is typing, the composer with a file waiting to be sent, and older history fetched as the user
// scrolls up. On a phone the room takes the whole screen, with a way back to the list.
import { h, describeError, sizeLabel } from '../dom.js';
import { clockTime, dayLabel, sameDay } from '../format_time.js';
import { icons, STATUS_LABELS } from '../icons.js';
import { mountAttachment } from '../attach.js';
import { KeyedList } from '../keyed_list.js';
import { presenceLabel } from './rooms.js';
import { mountMembers } from './members.js';
import { actionsToggle, actionsMenu } from './message_actions.js';
import { reactionChips } from './reactions.js';
import { confirmAction } from '../confirm.js';
import { EVENT_TYPES, applyEvent } from '../message_events.js';

// How close to the top (in pixels) a scroll must come to fetch the previous page: early enough
// that the older messages are usually there before the user reaches them.
const LOAD_OLDER_MARGIN_PX = 150;
// How close to the bottom counts as "reading the newest": new messages then keep it in view.
const PINNED_MARGIN_PX = 40;
// Messages from one sender this close together read as one block: the name is shown once.
const GROUP_GAP_MS = 5 * 60 * 1000;

export function mountChat(root, client, { onBack } = {}) {
  const title = h('h2', { id: 'chat-title' });
  const subtitle = h('span', { id: 'chat-presence', class: 'subtitle' });
  const backButton = h('button', { id: 'back', type: 'button', class: 'icon-button back', 'aria-label': 'Back to conversations', title: 'Back to conversations', onclick: () => onBack?.() }, icons.back());
  const membersButton = h('button', { id: 'members-toggle', class: 'link', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'members', onclick: () => toggleMembers() }, 'Members');
  const messageList = h('ol', { class: 'message-list' });
  // The log is a focusable region so that it can be scrolled from the keyboard.
  const messages = h('div', { id: 'messages', class: 'messages', role: 'log', 'aria-label': 'Messages', tabindex: '0' }, messageList);
  const olderNote = h('li', { class: 'older-note' });
  const typing = h('p', { id: 'typing', class: 'typing', 'aria-live': 'polite' });
  const text = h('textarea', { id: 'composer-text', rows: 2, placeholder: 'Write a message', maxLength: 16384, 'aria-label': 'Message' });
  // The file input is hidden behind a button: the browser's own control cannot be styled.
  const fileInput = h('input', { id: 'attach-file', type: 'file', hidden: true, tabindex: '-1', 'aria-hidden': 'true' });
  const attachButton = h('button', { id: 'attach', type: 'button', class: 'icon-button', 'aria-label': 'Attach a file', title: 'Attach a file (or paste, or drop it here)', onclick: () => fileInput.click() }, icons.attach());
  const attachError = h('p', { id: 'attach-error', class: 'error', 'aria-live': 'polite' });
  const attachPreview = h('div', { id: 'attach-preview', class: 'attach-preview', 'aria-label': 'File to send', role: 'group' });
  const sendButton = h('button', { id: 'send', class: 'icon-button send', 'aria-label': 'Send', title: 'Send (Enter)' }, icons.send());
  const composer = h('form', { id: 'composer', class: 'composer' }, attachButton, fileInput, text, sendButton);
  // What the composer is for, when not a new message: a reply (with the message it answers) or
  // an edit; its Cancel button (or Escape in the text box) goes back to a new message.
  const contextLabel = h('span', { class: 'composer-context-label' });
  const contextCancel = h('button', { type: 'button', class: 'secondary', onclick: () => endComposing() }, 'Cancel');
  const composerContext = h('div', { id: 'composer-context', class: 'composer-context', hidden: true, role: 'status' }, contextLabel, contextCancel);
  // A region, not an <aside>: it lives inside <main>, beside the room it belongs to.
  const membersPane = h('section', { id: 'members', class: 'members', hidden: true, 'aria-label': 'Members' });
  const empty = h('p', { class: 'empty' }, 'Choose a room, or start a conversation.');
  // Said when a message asked for (a search result) could not be brought into view.
  const revealNote = h('p', { id: 'reveal-note', class: 'notice', role: 'status' });
  const pane = h(
    'section',
    { class: 'chat', hidden: true, 'aria-labelledby': 'chat-title' },
    h('header', {}, backButton, h('div', { class: 'heading' }, title, subtitle), membersButton),
    revealNote,
    messages,
    typing,
    attachError,
    attachPreview,
    composerContext,
    composer,
  );
  root.replaceChildren(empty, pane, membersPane);

  const attachment = mountAttachment({ preview: attachPreview, fileInput, pasteTarget: text, dropZone: pane, onStaged: () => text.focus() });

  const shownMessages = new KeyedList(messageList);
  let renderedRoom = null;
  let unmountMembers = null;
  let pinned = true; // the newest message is in view, and new ones should keep it so
  // The read-by list open under one of our messages in a group: {roomId, seq, status, answer}.
  let receipts = null;
  // The message whose actions are open, the one whose earlier versions are shown
  // ({roomId, seq, answer}), and what the composer is doing: {kind: 'reply'|'edit', roomId, seq}.
  let menu = null;
  let versions = null;
  let composing = null;

  function startComposing(kind, item) {
    composing = { kind, roomId: item.roomId, seq: item.seq };
    if (kind === 'edit') {
      attachment.clear();
      text.value = item.text || '';
    }
    renderComposerContext();
    text.focus();
  }

  function endComposing() {
    if (composing?.kind === 'edit') text.value = '';
    composing = null;
    renderComposerContext();
    text.focus();
  }

  function renderComposerContext() {
    const roomId = client.openRoomId;
    if (composing && composing.roomId !== roomId) composing = null;
    // The message being answered or edited was deleted meanwhile: nothing left to do to it.
    if (composing && client.timeline(roomId).bySeq.get(composing.seq)?.deleted) {
      if (composing.kind === 'edit') text.value = '';
      composing = null;
    }
    composerContext.hidden = !composing;
    attachButton.disabled = composing?.kind === 'edit';
    const editing = composing?.kind === 'edit';
    sendButton.setAttribute('aria-label', editing ? 'Save' : 'Send');
    sendButton.title = editing ? 'Save the edit (Enter)' : 'Send (Enter)';
    if (!composing) return;
    contextCancel.setAttribute('aria-label', editing ? 'Cancel the edit' : 'Cancel the reply');
    // Redrawn only when it changes: it is a live region, and every change is read out.
    const quoted = editing ? null : previewOf(client.timeline(roomId).bySeq.get(composing.seq));
    const wanted = editing ? 'Editing your message' : `Replying to ${quoted.name}: ${quoted.text}`;
    if (contextLabel.textContent === wanted) return;
    if (editing) contextLabel.textContent = wanted;
    else contextLabel.replaceChildren('Replying to ', h('strong', {}, quoted.name), `: ${quoted.text}`);
  }

  // The start of a message as a reply quotes it: who wrote it and its first words.
  function previewOf(m) {
    if (!m) return { name: 'a message', text: '' };
    const name = m.sender_id === client.me.id ? 'You' : client.userName(m.sender_id);
    if (m.deleted) return { name, text: 'deleted message', deleted: true };
    const body = m.text || (m.attachment ? `[${m.type}: ${m.attachment.name}]` : `[${m.type}]`);
    return { name, text: body.length > 100 ? `${body.slice(0, 100)}…` : body };
  }

  function setMembersOpen(open) {
    membersPane.hidden = !open;
    membersButton.setAttribute('aria-expanded', String(open));
    if (open && client.openRoomId !== null) client.loadMembers(client.openRoomId).catch(() => {});
  }

  function toggleMembers() {
    setMembersOpen(membersPane.hidden);
  }

  composer.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = text.value.trim();
    const roomId = client.openRoomId;
    const file = attachment.staged();
    if (roomId === null) return;
    if (composing?.kind === 'edit') {
      const { seq } = composing;
      const before = client.timeline(roomId).bySeq.get(seq);
      if (before && value !== before.text && (value || before.attachment)) client.editMessage(roomId, seq, value);
      endComposing();
      return;
    }
    if (!value && !file) return;
    const reply = composing?.kind === 'reply' ? composing.seq : null;
    if (!file) {
      client.sendText(roomId, value, reply);
      text.value = '';
      if (reply) endComposing();
      return;
    }
    // The composer's text goes with the file as its caption.
    attachError.textContent = '';
    sendButton.disabled = true;
    try {
      await client.sendFile(roomId, file, value, reply);
      attachment.clear();
      text.value = '';
      if (reply) endComposing();
    } catch (err) {
      attachError.textContent = `${file.name}: ${describeError(err)}`;
    } finally {
      sendButton.disabled = false;
    }
  });
  text.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter starts a new line, as in most chat apps.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      composer.requestSubmit();
    }
    if (e.key === 'Escape' && composing) {
      e.preventDefault();
      endComposing();
    }
  });
  text.addEventListener('input', () => {
    if (client.openRoomId === null) return;
    if (text.value.trim()) client.userTyped(client.openRoomId);
    else client.stopTyping(client.openRoomId);
  });
  // Escape closes a message's actions first, then the members pane (it covers the chat on a
  // phone), then, where the room takes the whole screen, goes back to the list.
  const narrow = matchMedia('(max-width: 700px)');
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (menu) {
      // A message's actions open, with the focus on their button: they close first.
      const { seq } = menu;
      menu = null;
      render();
      focusInMessage(seq, '.actions-toggle');
    } else if (!membersPane.hidden) setMembersOpen(false);
    else if (narrow.matches) onBack?.();
  });

  function scrollToNewest() {
    messages.scrollTop = messages.scrollHeight;
  }

  messages.addEventListener('scroll', async () => {
    pinned = messages.scrollHeight - messages.scrollTop - messages.clientHeight < PINNED_MARGIN_PX;
    const roomId = client.openRoomId;
    if (roomId === null || messages.scrollTop > LOAD_OLDER_MARGIN_PX) return;
    await client.loadOlder(roomId);
  });

  // Whatever changes the list's size or its content's (an image without a known size loading, the
  // offline banner taking room from the top, a phone's keyboard opening), the newest message
  // stays in view if it was.
  const keepNewest = new ResizeObserver(() => pinned && scrollToNewest());
  keepNewest.observe(messages);
  keepNewest.observe(messageList);

  // An image's box is reserved from its width and height (when the server knows them), so the
  // list does not move when it loads.
  function imageView(alt, size, urlPromise) {
    const img = h('img', { class: 'preview', alt, width: size?.width || null, height: size?.height || null });
    urlPromise.then((url) => url && (img.src = url)).catch(() => {});
    return h('figure', { class: 'attachment' }, img);
  }

  // An image as a preview, any other file as a link that saves it. Both need the bytes fetched
  // with the token first; until then the item shows the file's name.
  function attachmentView(item) {
    if (item.localFile) {
      // Not yet sent: this browser's own copy.
      const f = item.localFile.file;
      if (item.type === 'image') return imageView(f.name, f, client.pendingFileUrl(item.localFile));
      return h('figure', { class: 'attachment' }, h('span', { class: 'file-name' }, `${f.name} (${sizeLabel(f.size)})`));
    }
    const a = item.attachment;
    if (!a?.upload_id) return null;
    if (item.type === 'image') return imageView(a.name, a, client.media.objectUrl(a.upload_id));
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

  function textView(item) {
    if (item.deleted) return h('span', { class: 'text deleted' }, 'This message was deleted');
    if (item.localFile || item.attachment?.upload_id) return item.text ? h('span', { class: 'text caption' }, item.text) : null;
    if (item.attachment) return h('span', { class: 'text' }, `[${item.type}: ${item.attachment.name}] ${item.text || ''}`.trim());
    return h('span', { class: 'text' }, item.text || `[${item.type}]`);
  }

  function receiptsView(item) {
    if (!receipts || receipts.seq !== item.seq || receipts.roomId !== item.roomId) return null;
    const answer = receipts.answer;
    const names = (ids) => ids.filter((id) => id !== client.me.id).map((id) => client.userName(id));
    let body;
    if (!answer) body = [h('p', {}, 'Loading…')];
    else if (answer.error) body = [h('p', { class: 'error' }, answer.error)];
    else {
      const read = names(answer.read_by);
      const deliveredOnly = names(answer.delivered_to.filter((id) => !answer.read_by.includes(id)));
      body = [
        h('p', { class: 'read-by-read' }, read.length ? `Read by ${read.join(', ')}` : 'Not read yet'),
        deliveredOnly.length ? h('p', { class: 'read-by-delivered' }, `Delivered to ${deliveredOnly.join(', ')}`) : null,
      ];
    }
    return h('div', { class: 'read-by', id: `receipts-${item.seq}`, role: 'status' }, ...body);
  }

  async function toggleReceipts(item) {
    if (receipts?.seq === item.seq && receipts.roomId === item.roomId) {
      receipts = null;
    } else {
      receipts = { roomId: item.roomId, seq: item.seq, status: item.status, answer: null };
      fetchReceipts();
    }
    render();
    messages.querySelector(`li[data-seq="${item.seq}"] .status`)?.focus();
  }

  async function fetchReceipts() {
    const asked = receipts;
    let answer;
    try {
      answer = await client.receiptsOf(asked.roomId, asked.seq);
    } catch (err) {
      answer = { error: describeError(err) };
    }
    if (receipts !== asked) return;
    receipts.answer = answer;
    render();
  }

  // The delivery state of one of our messages: ticks with words for screen readers. In a group
  // the ticks are a button that shows who has read the message.
  function statusView(item, inGroup) {
    const label = STATUS_LABELS[item.status] ?? item.status;
    const icon = icons[item.status]?.() ?? null;
    if (inGroup && item.seq) {
      const open = receipts?.seq === item.seq && receipts.roomId === item.roomId;
      return h(
        'button',
        {
          type: 'button',
          class: `status ${item.status}`,
          'aria-label': `${label}: show who has read it`,
          'aria-expanded': String(open),
          title: label,
          onclick: () => toggleReceipts(item),
        },
        icon,
      );
    }
    return h('span', { class: `status ${item.status}`, role: 'img', 'aria-label': label, title: item.error || label }, icon);
  }

  // The message a reply answers, as it stands now; pressing it brings the original into view
  // when it is loaded.
  function replyQuoteView(item) {
    if (!item.replyTo) return null;
    // The original when it is loaded (it follows later edits), else the server's preview.
    const shown = previewOf(client.timeline(item.roomId).bySeq.get(item.replyTo) ?? item.replyPreview);
    return h(
      'button',
      { type: 'button', class: `reply-quote${shown.deleted ? ' deleted' : ''}`, title: 'Show the message answered', onclick: () => showMessage(item.replyTo) },
      h('span', { class: 'visually-hidden' }, 'In reply to '),
      h('span', { class: 'reply-sender' }, shown.name),
      h('span', { class: 'reply-text' }, shown.text),
    );
  }

  function showMessage(seq) {
    const original = messageList.querySelector(`li.message[data-seq="${seq}"]`);
    if (!original) return;
    // Scrolled away from the newest on purpose: a resize must not pull the list back down
    // before the scroll event has said so.
    pinned = false;
    original.scrollIntoView({ block: 'center' });
    original.classList.add('highlighted');
    setTimeout(() => original.classList.remove('highlighted'), 1500);
    original.querySelector('.actions-toggle')?.focus({ preventScroll: true });
  }

  function versionsView(item) {
    if (!versions || versions.seq !== item.seq || versions.roomId !== item.roomId) return null;
    const answer = versions.answer;
    let body;
    if (!answer) body = [h('p', {}, 'Loading…')];
    else if (answer.error) body = [h('p', { class: 'error' }, answer.error)];
    else if (answer.length === 0) body = [h('p', {}, 'No earlier versions')];
    else {
      body = [
        h('p', {}, 'Earlier versions'),
        h('ol', {}, ...answer.map((v) => h('li', {}, h('time', { datetime: new Date(v.written_at).toISOString() }, new Date(v.written_at).toLocaleString()), ' ', h('span', { class: 'version-text' }, v.text)))),
      ];
    }
    return h('div', { class: 'versions', id: `versions-${item.seq}`, role: 'status' }, ...body);
  }

  async function toggleVersions(item) {
    if (versions?.seq === item.seq && versions.roomId === item.roomId) versions = null;
    else {
      const asked = (versions = { roomId: item.roomId, seq: item.seq, answer: null });
      client.versionsOf(item.roomId, item.seq)
        .catch((err) => ({ error: describeError(err) }))
        .then((answer) => {
          if (versions !== asked) return;
          versions.answer = answer;
          render();
        });
    }
    render();
    messages.querySelector(`li[data-seq="${item.seq}"] .edited`)?.focus();
  }

  function editedMark(item) {
    if (!item.editedAt || item.deleted) return null;
    const open = versions?.seq === item.seq && versions.roomId === item.roomId;
    return h(
      'button',
      { type: 'button', class: 'edited', 'aria-expanded': String(open), 'aria-label': 'Edited: show earlier versions', title: `Edited ${new Date(item.editedAt).toLocaleString()}`, onclick: () => toggleVersions(item) },
      'edited',
    );
  }

  // Who may do what to a committed message: anyone replies and reacts; its sender edits text
  // (or a caption); its sender, or an admin of a group, deletes it.
  function allowedOn(item, inGroup) {
    return { edit: item.own, delete: item.own || (inGroup && client.isAdminOf(item.roomId)) };
  }

  function menuOpenFor(item) {
    return menu?.roomId === item.roomId && menu.seq === item.seq;
  }

  function focusInMessage(seq, selector) {
    messages.querySelector(`li.message[data-seq="${seq}"] ${selector}`)?.focus();
  }

  function toggleMenu(item) {
    menu = menuOpenFor(item) ? null : { roomId: item.roomId, seq: item.seq };
    render();
    focusInMessage(item.seq, menu ? '.message-actions button' : '.actions-toggle');
  }

  function closeMenu(item, then) {
    menu = null;
    render();
    focusInMessage(item.seq, '.actions-toggle');
    then?.();
  }

  async function deleteWithConfirmation(item) {
    closeMenu(item);
    if (await confirmAction('Delete this message for everyone?', 'Delete')) client.deleteMessage(item.roomId, item.seq);
  }

  function actionsView(item, inGroup) {
    if (item.seq === null || item.deleted) return [];
    const open = menuOpenFor(item);
    return [
      actionsToggle(item, open, () => toggleMenu(item)),
      open
        ? actionsMenu(item, allowedOn(item, inGroup), {
          react: (emoji, mine) => closeMenu(item, () => client.toggleReaction(item.roomId, item.seq, emoji, mine)),
          reply: () => closeMenu(item, () => startComposing('reply', item)),
          edit: () => closeMenu(item, () => startComposing('edit', item)),
          delete: () => deleteWithConfirmation(item),
          close: () => closeMenu(item),
        })
        : null,
    ];
  }

  function reactionsView(item) {
    if (item.deleted || item.seq === null) return null;
    return reactionChips(item, {
      onToggle: (emoji, mine) => client.toggleReaction(item.roomId, item.seq, emoji, mine),
      whoReacted: async (emoji) => {
        const all = await client.reactionsOf(item.roomId, item.seq);
        const ids = all.find((r) => r.emoji === emoji)?.user_ids || [];
        return `${emoji}: ${ids.map((id) => (id === client.me.id ? 'You' : client.userName(id))).join(', ')}`;
      },
    });
  }

  const EVENT_NAMES = { edit: 'edit', deletion: 'deletion', reaction: 'reaction', reaction_removed: 'reaction' };

  // One message, committed or still waiting in the outbox. Every message is drawn here, so a
  // per-message menu has one place to hook into.
  function messageView(item, { inGroup, continued }) {
    if (item.type === 'system') return h('li', { class: 'message system', dataset: { seq: item.seq } }, item.text);
    // An edit or reaction the server refused: said once, where it was written.
    if (EVENT_TYPES.has(item.type)) {
      return h('li', { class: 'message system failed-event', dataset: { clientMsgId: item.clientMsgId } }, `Your ${EVENT_NAMES[item.type]} could not be made: ${item.error}`);
    }
    // The sender's name is seen only at the start of a block in a group; screen readers always
    // hear who wrote a message.
    const showName = !item.own && inGroup && !continued;
    return h(
      'li',
      {
        class: `message ${item.own ? 'own' : 'other'}${item.pending ? ` ${item.status}` : ''}${continued ? ' continued' : ''}`,
        dataset: { seq: item.seq ?? undefined, clientMsgId: item.clientMsgId, status: item.status ?? undefined },
        title: item.error,
      },
      h('span', { class: `sender${showName ? '' : ' visually-hidden'}` }, item.own ? 'You' : client.userName(item.senderId)),
      replyQuoteView(item),
      item.deleted ? null : attachmentView(item),
      textView(item),
      reactionsView(item),
      h(
        'span',
        { class: 'meta' },
        editedMark(item),
        h('time', { datetime: new Date(item.at).toISOString(), title: new Date(item.at).toLocaleString() }, clockTime(item.at)),
        item.own ? statusView(item, inGroup) : null,
      ),
      ...actionsView(item, inGroup),
      versionsView(item),
      item.own && inGroup ? receiptsView(item) : null,
    );
  }

  function committedItem(m) {
    const own = m.sender_id === client.me.id;
    return {
      roomId: m.room_id, seq: m.seq, clientMsgId: m.client_msg_id, senderId: m.sender_id, own, at: m.created_at,
      type: m.type, text: m.text, attachment: m.attachment, status: own ? client.statusOf(m) : null,
      deleted: !!m.deleted, editedAt: m.edited_at, reactions: m.reactions, replyTo: m.reply_to, replyPreview: m.reply_preview,
    };
  }

  function pendingItem(e, state) {
    return {
      roomId: e.room_id, seq: null, clientMsgId: e.client_msg_id, senderId: client.me.id, own: true, at: e.written_at,
      type: e.type || 'text', text: e.text, attachment: e.attachment, localFile: e.file ? e : null,
      status: state, pending: true, error: e.error, replyTo: e.reply_to,
    };
  }

  // Everything a message's element shows, so that it is drawn again only when that changes.
  function signatureOf(item, inGroup, continued) {
    const a = item.attachment;
    const open = receipts?.seq === item.seq && receipts.roomId === item.roomId && item.seq !== null;
    const versionsOpen = versions?.seq === item.seq && versions.roomId === item.roomId && item.seq !== null;
    const quoted = item.replyTo ? previewOf(client.timeline(item.roomId).bySeq.get(item.replyTo)) : null;
    return JSON.stringify([
      item.type, item.text, item.status, item.error, inGroup, continued, client.userName(item.senderId),
      a && [a.upload_id, a.name, a.width, a.height], item.localFile?.client_msg_id, open && (receipts.answer ?? 'loading'),
      item.deleted, item.editedAt, item.reactions, quoted, item.replyPreview, menuOpenFor(item) && allowedOn(item, inGroup),
      versionsOpen && (versions.answer ?? 'loading'),
    ]);
  }

  // The list's entries: day separators between days, and each message marked as continuing the
  // block above it when the same person wrote it shortly after.
  function listEntries(roomId, items, inGroup) {
    const out = [{ key: 'older', signature: '', make: () => olderNote }];
    let previous = null;
    const now = Date.now();
    for (const item of items) {
      if (!previous || !sameDay(previous.at, item.at)) {
        const label = dayLabel(item.at, now);
        out.push({ key: `${roomId}:day:${label}`, signature: '', make: () => h('li', { class: 'day' }, h('span', {}, label)) });
        previous = null;
      }
      const continued =
        previous !== null && previous.type !== 'system' && item.type !== 'system' &&
        previous.senderId === item.senderId && item.at - previous.at < GROUP_GAP_MS;
      out.push({
        key: `${roomId}:${item.seq ?? `pending:${item.clientMsgId}`}`,
        signature: signatureOf(item, inGroup, continued),
        make: () => messageView(item, { inGroup, continued }),
      });
      previous = item;
    }
    return out;
  }

  // Edits, deletions and reactions still in the outbox show at once on the message they name,
  // on copies: the timeline changes only when the server has them.
  function withWaitingEvents(held, waiting) {
    const events = waiting.filter((e) => EVENT_TYPES.has(e.type));
    if (events.length === 0) return held;
    const copies = new Map(held.map((m) => [m.seq, { ...m }]));
    for (const e of events) {
      const target = copies.get(e.relates_to);
      if (target) applyEvent(target, { type: e.type, text: e.text, sender_id: client.me.id, created_at: e.written_at }, client.me.id);
    }
    return [...copies.values()];
  }

  // A message is drawn anew when it changes (a peer's reaction, say): the control that had the
  // focus in it is found again in the new drawing, so the keyboard user does not lose its place.
  function focusedControl() {
    const active = document.activeElement;
    const li = active?.closest?.('#messages li.message[data-seq]');
    if (!li || active === li) return null;
    const like = (root) => [...root.querySelectorAll(active.tagName)].filter((e) => e.className === active.className);
    return { element: active, seq: li.dataset.seq, like, index: like(li).indexOf(active) };
  }

  function restoreFocus(was) {
    if (!was || was.element.isConnected) return;
    const li = messageList.querySelector(`li.message[data-seq="${was.seq}"]`);
    const candidates = li ? was.like(li) : [];
    (candidates[was.index] ?? candidates.at(-1))?.focus({ preventScroll: true });
  }

  function renderMessages(roomId) {
    const room = client.rooms.get(roomId);
    const timeline = client.timeline(roomId);
    const switched = renderedRoom !== roomId;
    const oldHeight = messages.scrollHeight;
    const oldTop = messages.scrollTop;
    const firstBefore = messageList.querySelector('li.message')?.dataset.seq;

    olderNote.textContent = !timeline.loaded ? 'Loading…' : timeline.hasMore ? 'Scroll up for older messages' : 'Start of the conversation';
    // Our messages not yet acknowledged come after the committed ones, in the order written. One
    // whose acknowledgement is already here (sent before a reconnect) is shown only once.
    const waiting = client.outbox.forRoom(roomId).filter((e) => !timeline.ownIds.has(e.client_msg_id));
    const items = [
      ...withWaitingEvents(timeline.messages(), waiting).map(committedItem),
      ...waiting.filter((e) => !EVENT_TYPES.has(e.type)).map((e) => pendingItem(e, 'pending')),
      ...client.outbox.failedForRoom(roomId).map((e) => pendingItem(e, 'failed')),
    ];
    if (receipts && (receipts.roomId !== roomId)) receipts = null;
    if (menu && menu.roomId !== roomId) menu = null;
    if (versions && versions.roomId !== roomId) versions = null;
    // A receipt came for the message whose list is open: ask again.
    if (receipts?.answer) {
      const shown = items.find((i) => i.seq === receipts.seq);
      if (shown && shown.status !== receipts.status) {
        receipts.status = shown.status;
        fetchReceipts();
      }
    }
    const focused = focusedControl();
    shownMessages.update(listEntries(roomId, items, room?.kind === 'group'));
    restoreFocus(focused);

    const firstAfter = messageList.querySelector('li.message')?.dataset.seq;
    if (switched || pinned) scrollToNewest();
    else if (firstBefore !== firstAfter) messages.scrollTop = oldTop + (messages.scrollHeight - oldHeight); // older page prepended
    if (switched) pinned = true;
    renderedRoom = roomId;
  }

  function renderHeader(roomId) {
    const room = client.rooms.get(roomId);
    if (!room) return;
    title.textContent = client.roomTitle(room);
    subtitle.textContent =
      room.kind === 'direct' ? presenceLabel(client.presence.get(room.peer_id), client.online) : `${room.member_count} members`;
    membersButton.hidden = room.kind !== 'group';
    if (room.kind !== 'group') setMembersOpen(false);
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
      setMembersOpen(false);
      renderedRoom = null;
      receipts = null;
      composing = null;
      renderComposerContext();
      return;
    }
    renderHeader(roomId);
    renderMessages(roomId);
    renderTyping(roomId);
    renderComposerContext();
  }

  // A message chosen elsewhere (a search result): its room opens, older history is paged in until
  // the message is there, and it is brought into view with the focus. When it cannot be loaded
  // (offline, say) the room stays at its newest messages and says so.
  async function reveal(roomId, seq) {
    await client.openRoom(roomId);
    if (client.openRoomId !== roomId) return;
    const found = await client.loadBackTo(roomId, seq);
    if (client.openRoomId !== roomId) return;
    revealNote.textContent = found ? '' : 'That message could not be loaded; showing the newest messages.';
    if (found) showMessage(seq);
    else scrollToNewest();
  }

  client.subscribe((topic) => {
    const roomId = client.openRoomId;
    if (topic === 'open') {
      revealNote.textContent = '';
      if (unmountMembers) unmountMembers();
      unmountMembers = roomId === null ? null : mountMembers(membersPane, client, roomId, { onClose: () => setMembersOpen(false) });
      if (renderedRoom !== roomId) attachment.clear();
      render();
      if (roomId !== null) text.focus();
    } else if (roomId !== null && topic === `room:${roomId}`) {
      render();
    } else if (topic === 'rooms' || topic === 'presence' || topic === 'connection') {
      if (roomId !== null) renderHeader(roomId);
      if (roomId !== null && !client.rooms.has(roomId)) render();
    }
  });
  render();

  return { focusComposer: () => text.focus(), reveal };
}
