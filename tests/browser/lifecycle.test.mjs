// A message's life in the web client, between two people in one browser against a real parleyd:
// a reply quotes what it answers on both sides, an edit reaches the peer with an "edited" mark
// whose earlier versions can be read, reactions show as chips that toggle, a reaction made
// offline leaves when the connection returns, a deletion (confirmed first) leaves a tombstone
// that no reload or cache undoes, and events never show as messages of their own. Then search,
// over what that life left behind: found across rooms or in one, words marked, edits found by
// their new words only, deletions not found, a result opening its room at the message. axe-core
// checks the message actions, the chips and the search results. The tests run in order and
// build on each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { expect } from './expect.mjs';
import { Parleyd } from './parleyd.mjs';
import { CHROMIUM_ARGS, logInInPage, roomItem, messageItem, send, openDirect } from './web_client.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.PARLEY_ARTIFACTS_DIR || join(here, '..', '..', 'build', 'test-artifacts');
const logs = join(artifacts, 'browser-lifecycle');
mkdirSync(logs, { recursive: true });
// Run through DevTools' evaluate: the server's Content-Security-Policy refuses a <script> tag.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const server = new Parleyd(logs);
let browser;
let ann;
let ben;
let benContext;

async function openPage(context, name) {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${name}] page error:`, err));
  page.on('console', (m) => m.type() === 'error' && console.error(`[${name}] console:`, m.text()));
  await page.goto(`${server.url}/`);
  return page;
}

async function assertAccessible(page, what) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ['violations'] });
    return violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  assert.deepEqual(violations, [], `axe-core on ${what}`);
}

// Opens a message's actions from its button, as a mouse user does.
async function openActions(page, text) {
  const message = messageItem(page, text);
  await message.hover();
  await message.locator('.actions-toggle').click();
  await expect(message.locator('.message-actions')).toBeVisible();
  return message.locator('.message-actions');
}

const chip = (page, text, emoji) => messageItem(page, text).locator('button.reaction', { hasText: emoji });
// Messages drawn as bubbles: system lines and notices aside.
const bubbles = (page) => page.locator('#messages li.message:not(.system)');

before(async () => {
  await server.start();
  await server.register('ann', 'Ann');
  await server.register('ben', 'Ben');
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  ann = await openPage(await browser.newContext(), 'ann');
  benContext = await browser.newContext();
  ben = await openPage(benContext, 'ben');
  await logInInPage(ann, 'ann');
  await logInInPage(ben, 'ben');
  await openDirect(ann, 'ben');
  // The dialog makes the page behind it inert until it closes.
  await expect(ann.locator('#new-conversation')).toBeHidden();
  await expect(ann.locator('#chat-title')).toHaveText('Ben');
  await send(ann, 'Lunch at noon?');
  await expect(messageItem(ann, 'Lunch at noon?').locator('.status')).not.toHaveAttribute('aria-label', /Waiting/);
  await roomItem(ben, 'Ann').click();
  await expect(messageItem(ben, 'Lunch at noon?')).toBeVisible();
});

after(async () => {
  if (browser) await browser.close();
  await server.dispose();
});

test('a reply quotes the message it answers on both sides; the quote leads to the original', async () => {
  const actions = await openActions(ben, 'Lunch at noon?');
  await actions.locator('.action-reply').click();
  await expect(ben.locator('#composer-context')).toBeVisible();
  await expect(ben.locator('#composer-context strong')).toHaveText('Ann');
  await send(ben, 'Yes, see you');
  await expect(ben.locator('#composer-context')).toBeHidden();
  for (const page of [ben, ann]) {
    const quote = messageItem(page, 'Yes, see you').locator('.reply-quote');
    await expect(quote.locator('.reply-text')).toHaveText('Lunch at noon?');
  }
  await expect(messageItem(ben, 'Yes, see you').locator('.reply-sender')).toHaveText('Ann');
  await expect(messageItem(ann, 'Yes, see you').locator('.reply-sender')).toHaveText('You');
  await messageItem(ann, 'Yes, see you').locator('.reply-quote').click();
  const original = await messageItem(ann, 'Lunch at noon?').getAttribute('data-seq');
  assert.equal(await ann.evaluate(() => document.activeElement.closest('li.message')?.dataset.seq), original);
});

test('the actions pass axe-core; Escape closes them and gives focus back', async () => {
  await openActions(ann, 'Lunch at noon?');
  await assertAccessible(ann, 'a message with its actions open');
  await ann.keyboard.press('Escape');
  await expect(ann.locator('.message-actions')).toHaveCount(0);
  assert.equal(await ann.evaluate(() => document.activeElement.className), 'actions-toggle');
  // Only one's own messages can be edited.
  const others = await openActions(ann, 'Yes, see you');
  await expect(others.locator('.action-edit')).toHaveCount(0);
  await expect(others.locator('.action-delete')).toHaveCount(0);
  await ann.keyboard.press('Escape');
});

test('an edit reaches the peer marked "edited", with the earlier text among its versions', async () => {
  let actions = await openActions(ann, 'Lunch at noon?');
  await actions.locator('.action-edit').click();
  assert.equal(await ann.inputValue('#composer-text'), 'Lunch at noon?');
  // Escape leaves the edit.
  await ann.press('#composer-text', 'Escape');
  await expect(ann.locator('#composer-context')).toBeHidden();
  assert.equal(await ann.inputValue('#composer-text'), '');

  actions = await openActions(ann, 'Lunch at noon?');
  await actions.locator('.action-edit').click();
  await expect(ann.locator('#send')).toHaveAttribute('aria-label', 'Save');
  await send(ann, 'Lunch at one?');
  for (const page of [ann, ben]) {
    await expect(messageItem(page, 'Lunch at one?').locator('button.edited')).toBeVisible();
    await expect(messageItem(page, 'Lunch at noon?')).toHaveCount(0);
    // The reply quotes the message as it stands now.
    await expect(messageItem(page, 'Yes, see you').locator('.reply-text')).toHaveText('Lunch at one?');
  }
  await messageItem(ben, 'Lunch at one?').locator('button.edited').click();
  await expect(messageItem(ben, 'Lunch at one?').locator('.versions .version-text')).toHaveText('Lunch at noon?');
});

test('a reaction shows as a chip on the peer, toggles, and names who reacted', async () => {
  const actions = await openActions(ben, 'Lunch at one?');
  await actions.locator('button.quick-reaction', { hasText: '👍' }).click();
  await expect(chip(ben, 'Lunch at one?', '👍')).toHaveAttribute('aria-pressed', 'true');
  await expect(chip(ann, 'Lunch at one?', '👍').locator('.count')).toHaveText('1');
  await expect(chip(ann, 'Lunch at one?', '👍')).toHaveAttribute('aria-pressed', 'false');

  await chip(ann, 'Lunch at one?', '👍').click();
  await expect(chip(ann, 'Lunch at one?', '👍')).toHaveAttribute('aria-pressed', 'true');
  await expect(chip(ben, 'Lunch at one?', '👍').locator('.count')).toHaveText('2');
  // The message was drawn anew with the new count; the focus is still on the chip.
  assert.equal(await ann.evaluate(() => document.activeElement.className), 'reaction');
  await ann.hover('#chat-title');
  await chip(ann, 'Lunch at one?', '👍').hover();
  await expect(chip(ann, 'Lunch at one?', '👍')).toHaveAttribute('title', '👍: Ben, You');
  await assertAccessible(ann, 'reaction chips');
  await ann.screenshot({ path: join(logs, 'reactions.png') });

  await chip(ann, 'Lunch at one?', '👍').click();
  await expect(chip(ben, 'Lunch at one?', '👍').locator('.count')).toHaveText('1');
  await chip(ben, 'Lunch at one?', '👍').click();
  await expect(chip(ann, 'Lunch at one?', '👍')).toHaveCount(0);
  await expect(chip(ben, 'Lunch at one?', '👍')).toHaveCount(0);
});

test('a reaction made offline is sent when the connection returns', async () => {
  await benContext.setOffline(true);
  await expect(ben.locator('body.offline')).toHaveCount(1);
  const actions = await openActions(ben, 'Yes, see you');
  await actions.locator('button.quick-reaction', { hasText: '🎉' }).click();
  // Shown at once on Ben's side, waiting in the outbox.
  await expect(chip(ben, 'Yes, see you', '🎉')).toHaveAttribute('aria-pressed', 'true');
  await benContext.setOffline(false);
  await expect(chip(ann, 'Yes, see you', '🎉').locator('.count')).toHaveText('1');
});

test('a deletion, once confirmed, leaves a tombstone on both sides that no reload brings back', async () => {
  await send(ann, 'The secret plan');
  await expect(messageItem(ben, 'The secret plan')).toBeVisible();
  const actions = await openActions(ann, 'The secret plan');
  await actions.locator('.action-delete').click();
  await expect(ann.locator('dialog.confirm')).toBeVisible();
  await ann.click('dialog.confirm .confirm-accept');
  for (const page of [ann, ben]) {
    await expect(page.locator('#messages .text.deleted')).toHaveText('This message was deleted');
    await expect(messageItem(page, 'The secret plan')).toHaveCount(0);
  }
  for (const page of [ann, ben]) {
    await page.reload();
    await roomItem(page, page === ann ? 'Ben' : 'Ann').click();
    await expect(page.locator('#messages .text.deleted')).toHaveText('This message was deleted');
    await expect(messageItem(page, 'Lunch at one?')).toBeVisible();
    assert.ok(!(await page.content()).includes('The secret plan'), 'the deleted text is not in the page');
    const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n'));
    assert.ok(!stored.includes('The secret plan'), 'the deleted text is not in localStorage');
  }
});

test('events never show as messages, live or from history', async () => {
  // Lunch, the reply and the tombstone: the edit, the reactions and the deletion are no bubbles.
  for (const page of [ann, ben]) await expect(bubbles(page)).toHaveCount(3);
  assert.equal(await ann.title(), 'Parley');
});

// ---- search -------------------------------------------------------------------------------

// Ann's side of a search: the query typed and sent with Enter, as a keyboard user does.
async function search(page, query, { onlyThisRoom = false } = {}) {
  if ((await page.locator('#search-this-room').isVisible()) || onlyThisRoom) await page.locator('#search-this-room').setChecked(onlyThisRoom);
  await page.fill('#search-query', query);
  await page.press('#search-query', 'Enter');
  await expect(page.locator('#search-status')).not.toHaveText(/^(Searching…)?$/);
}

const results = (page) => page.locator('#search-results-list button.search-result');
const resultWith = (page, text) => page.locator('#search-results-list button.search-result', { hasText: text });

// Seeds through the server's API: Ben's group with Ann ("Trip"), and a group of Ben and Cat that
// Ann is not in ("Hideout"), each with a message about marmalade.
let trip;
let benToken;
let ids = 0;
const say = (roomId, text, token = benToken) =>
  server.call('POST', `/v1/rooms/${roomId}/messages`, { client_msg_id: `search-${++ids}`, type: 'text', text }, token);

test('a search finds messages across rooms, marks the matched words, and never shows a room one is not in', async () => {
  benToken = (await server.login('ben')).access_token;
  const cat = await server.register('cat', 'Cat');
  const annId = (await server.login('ann')).user.id;
  trip = await server.call('POST', '/v1/rooms', { name: 'Trip', members: [annId] }, benToken);
  const hideout = await server.call('POST', '/v1/rooms', { name: 'Hideout', members: [cat.user.id] }, benToken);
  await say(hideout.id, 'The marmalade is hidden in the shed', cat.access_token);
  await say(trip.id, 'Marmalade sandwiches for the trip');
  await expect(roomItem(ann, 'Trip')).toBeVisible();
  await send(ben, 'Bring the marmalade jar');
  await expect(messageItem(ann, 'Bring the marmalade jar')).toBeVisible();

  await search(ann, 'marmalade');
  await expect(ann.locator('#search-results')).toBeVisible();
  // The results stand in for the rooms list while they are shown.
  await expect(ann.locator('#rooms')).toBeHidden();
  await expect(results(ann)).toHaveCount(2);
  await expect(resultWith(ann, 'Bring the marmalade jar').locator('.search-result-room')).toHaveText('Ben');
  await expect(resultWith(ann, 'Bring the marmalade jar').locator('.search-result-sender')).toHaveText('Ben:');
  await expect(resultWith(ann, 'Marmalade sandwiches').locator('.search-result-room')).toHaveText('Trip');
  await expect(resultWith(ann, 'Marmalade sandwiches').locator('mark')).toHaveText('Marmalade');
  await expect(resultWith(ann, 'Bring the marmalade jar').locator('mark')).toHaveText('marmalade');
  await expect(ann.locator('#search-results')).not.toHaveText(/shed|Hideout/);
  await assertAccessible(ann, 'search results');

  // Escape closes the results and gives the rooms list back; the focus stays in the search box.
  await results(ann).first().focus();
  await ann.keyboard.press('Escape');
  await expect(ann.locator('#search-results')).toBeHidden();
  await expect(ann.locator('#rooms')).toBeVisible();
  assert.equal(await ann.evaluate(() => document.activeElement.id), 'search-query');
});

test('a search can be kept to the open room', async () => {
  await roomItem(ann, 'Trip').click();
  await expect(ann.locator('#chat-title')).toHaveText('Trip');
  await expect(ann.locator('.search-scope')).toHaveText('Only in Trip');
  await search(ann, 'marmalade', { onlyThisRoom: true });
  await expect(results(ann)).toHaveCount(1);
  await expect(resultWith(ann, 'Marmalade sandwiches')).toHaveCount(1);
  await ann.keyboard.press('Escape');
  await ann.locator('#search-this-room').setChecked(false);
});

test('an edited message is found by its new words only; a deleted one is not found; a refused query says why', async () => {
  await roomItem(ann, 'Ben').click();
  await send(ann, 'Pack the kettle');
  await expect(messageItem(ann, 'Pack the kettle').locator('.status')).not.toHaveAttribute('aria-label', /Waiting/);
  const actions = await openActions(ann, 'Pack the kettle');
  await actions.locator('.action-edit').click();
  await send(ann, 'Pack the thermos');
  await expect(messageItem(ann, 'Pack the thermos').locator('button.edited')).toBeVisible();
  // The edit reached the server once the peer has it.
  await expect(messageItem(ben, 'Pack the thermos')).toBeVisible();

  await search(ann, 'thermos');
  await expect(results(ann)).toHaveCount(1);
  await expect(resultWith(ann, 'Pack the thermos').locator('.search-result-sender')).toHaveText('You:');
  await search(ann, 'kettle');
  await expect(ann.locator('#search-status')).toHaveText('No messages match.');
  await expect(results(ann)).toHaveCount(0);
  // Deleted by the earlier test.
  await search(ann, 'secret plan');
  await expect(ann.locator('#search-status')).toHaveText('No messages match.');

  // A blank query, and seventeen words (one too many): the server's own reason is shown.
  const tooMany = Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ');
  for (const query of ['   ', tooMany]) {
    const refused = await fetch(`${server.url}/v1/search?query=${encodeURIComponent(query)}`, { headers: { Authorization: `Bearer ${benToken}` } });
    const { error } = await refused.json();
    assert.equal(error.code, 'invalid_payload');
    await search(ann, query);
    await expect(ann.locator('#search-status')).toHaveText(error.message);
    await expect(ann.locator('#search-status')).toHaveClass(/error/);
    await expect(results(ann)).toHaveCount(0);
  }
  await ann.keyboard.press('Escape');
});

test('choosing a result opens its room at the message, paging back through history to it', async () => {
  // Enough newer messages that the one sought is not on the room's first page.
  for (let i = 0; i < 60; i++) await say(trip.id, `filler ${i}`);
  await ann.reload();
  await expect(ann.locator('#me-name')).toBeVisible();
  await search(ann, 'sandwiches');
  await expect(results(ann)).toHaveCount(1);
  await resultWith(ann, 'Marmalade sandwiches').click();
  await expect(ann.locator('#chat-title')).toHaveText('Trip');
  const found = messageItem(ann, 'Marmalade sandwiches for the trip');
  await expect(found).toBeVisible();
  await expect.poll(() => found.evaluate((li) => li.contains(document.activeElement))).toBe(true);
  await expect.poll(() => found.evaluate((li) => {
    const box = li.getBoundingClientRect();
    const list = document.getElementById('messages').getBoundingClientRect();
    return box.top >= list.top && box.bottom <= list.bottom;
  })).toBe(true);
  // The room's newest page was all filler: the message came from paging back.
  await expect(messageItem(ann, 'filler 0')).toHaveCount(1);
  await ann.keyboard.press('Escape');
});

test('"More results" fetches the next page, and the focus moves to its first result', async () => {
  await search(ann, 'filler');
  await expect(results(ann)).toHaveCount(20);
  await expect(ann.locator('#search-more')).toBeVisible();
  await ann.click('#search-more');
  await expect(results(ann)).toHaveCount(40);
  assert.equal(await ann.evaluate(() => [...document.querySelectorAll('#search-results-list button')].indexOf(document.activeElement)), 20);
  await ann.click('#search-more');
  await expect(results(ann)).toHaveCount(60);
  await expect(ann.locator('#search-more')).toBeHidden();
  await ann.screenshot({ path: join(logs, 'search-results.png') });
  await ann.keyboard.press('Escape');
});

test('search at a phone size: results in the list pane, a result opens the room, Back returns to it', async () => {
  await ann.setViewportSize({ width: 390, height: 844 });
  try {
    if (await ann.locator('#back').isVisible()) await ann.click('#back');
    await search(ann, 'marmalade');
    await expect(results(ann)).toHaveCount(2);
    await assertAccessible(ann, 'search results on a phone');
    await ann.screenshot({ path: join(logs, 'search-results-phone.png') });
    await resultWith(ann, 'Bring the marmalade jar').click();
    await expect(ann.locator('#chat-title')).toHaveText('Ben');
    await expect(ann.locator('#search-results')).toBeHidden();
    await expect(messageItem(ann, 'Bring the marmalade jar')).toBeVisible();
    await ann.click('#back');
    await expect(ann.locator('#search-results')).toBeVisible();
    assert.equal(await ann.evaluate(() => document.activeElement.textContent.includes('Bring the marmalade jar')), true);
    await ann.keyboard.press('Escape');
    await expect(ann.locator('#rooms')).toBeVisible();
  } finally {
    await ann.setViewportSize({ width: 1280, height: 720 });
  }
});

test('offline, a search says it needs the connection', async () => {
  await benContext.setOffline(true);
  await expect(ben.locator('body.offline')).toHaveCount(1);
  if (await ben.locator('#back').isVisible()) await ben.click('#back');
  await search(ben, 'marmalade');
  await expect(ben.locator('#search-status')).toHaveText(/needs the connection/);
  await benContext.setOffline(false);
  await expect(ben.locator('body.offline')).toHaveCount(0);
  await ben.press('#search-query', 'Enter');
  await expect(results(ben)).toHaveCount(3);
});
