// The web client over https:// against a parleyd with a TLS certificate (--tls-cert): the page,
// its scripts and its WebSocket (wss://) all come over TLS, and two people chat live.
// Chromium trusts the test's own certificate by its public key alone
// (--ignore-certificate-errors-spki-list): any other certificate error still fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { expect } from './expect.mjs';
import { Parleyd } from './parleyd.mjs';
import { CHROMIUM_ARGS, registerInPage, roomItem, messageItem, send, openDirect } from './web_client.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.PARLEY_ARTIFACTS_DIR || join(here, '..', '..', 'build', 'test-artifacts');

const certificates = mkdtempSync(join(tmpdir(), 'parley-browser-tls-'));
const tool = process.env.PARLEY_TEST_CERTIFICATES;
if (!tool) throw new Error('PARLEY_TEST_CERTIFICATES must be set (see tests/CMakeLists.txt)');
const spki = execFileSync(tool, [certificates], { encoding: 'utf8' }).trim();
const server = new Parleyd(join(artifacts, 'browser-tls'), {
  tls: {
    certificate: join(certificates, 'server.crt'),
    key: join(certificates, 'server.key'),
    ca: readFileSync(join(certificates, 'ca.crt')),
  },
});
let browser;
const sockets = []; // the WebSocket URLs the pages opened

async function openAs() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  const page = await context.newPage();
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const response = await page.goto(`${server.url}/`);
  assert.equal(response.status(), 200);
  return page;
}

before(async () => {
  await server.start();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spki}`],
  });
});

after(async () => {
  if (browser) await browser.close();
  await server.dispose();
  rmSync(certificates, { recursive: true, force: true });
});

test('over https: register, a direct room, messages live both ways over wss', async () => {
  const alice = await openAs();
  assert.ok(alice.url().startsWith('https://localhost:'), alice.url());
  await registerInPage(alice, 'alice', 'Alice');
  const bob = await openAs();
  await registerInPage(bob, 'bob', 'Bob');

  await openDirect(alice, 'bob');
  await expect(alice.locator('#chat-title')).toHaveText('Bob');
  await expect(roomItem(bob, 'Alice')).toBeVisible();
  await roomItem(bob, 'Alice').click();

  await send(alice, 'hello over tls');
  await expect(messageItem(bob, 'hello over tls')).toBeVisible();
  await send(bob, 'and back again');
  await expect(messageItem(alice, 'and back again')).toBeVisible();
  await expect(messageItem(alice, 'hello over tls')).toHaveAttribute('data-status', 'read');

  assert.ok(sockets.length >= 2, `each page opened its WebSocket (${sockets.join(', ')})`);
  for (const url of sockets) assert.ok(url.startsWith('wss://localhost:'), url);
});
