/**
 * The whole product in a real browser: the built web app served by the real API
 * (embedded mode), with Alice and Bob in two isolated Chromium contexts.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/support/server.ts';
import { collectPageErrors, launchBrowser, screenshot } from './support/browser.ts';
import { ChatPage, type Person } from './support/chat-page.ts';
import { buildWebApp } from './support/web-build.ts';

const person = (name: string): Person => ({
  name,
  email: `${name.toLowerCase()}-${randomUUID()}@example.test`,
  password: 'correct horse battery staple',
});

describe('Parley in the browser', () => {
  let webDist: string;
  let server: TestServer;
  let browser: Browser;
  let aliceContext: BrowserContext;
  let bobContext: BrowserContext;
  let alice: ChatPage;
  let bob: ChatPage;
  const errors: string[][] = [];
  const aliceUser = person('Alice');
  const bobUser = person('Bob');

  beforeAll(async () => {
    webDist = await buildWebApp();
    server = await startTestServer({ env: { WEB_DIST_DIR: webDist } });
    browser = await launchBrowser();
    aliceContext = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    bobContext = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    alice = new ChatPage(await aliceContext.newPage());
    bob = new ChatPage(await bobContext.newPage());
    errors.push(collectPageErrors(alice.page), collectPageErrors(bob.page));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (webDist) await rm(webDist, { recursive: true, force: true });
  });

  it('signs both up and each adds the other', async () => {
    await alice.signUp(server.url, aliceUser);
    await bob.signUp(server.url, bobUser);
    await alice.addContact(bobUser.email, 'Bob');
    await bob.addContact(aliceUser.email, 'Alice');
    // Presence: each sees the other online in the contact list.
    await alice.page.getByRole('img', { name: 'Bob is online' }).first().waitFor();
    await bob.page.getByRole('img', { name: 'Alice is online' }).first().waitFor();
  });

  it('chats both ways live, with the typing indicator and read receipts', async () => {
    await alice.openChatWith('Bob');
    await bob.openChatWith('Alice');

    await alice.type('Hi Bob');
    await bob.page.getByText('Alice is typing…').waitFor();
    await alice.composer.press('Enter');
    await bob.waitForMessage('Hi Bob');
    await bob.page.getByText('Alice is typing…').waitFor({ state: 'detached' });
    // Bob has the conversation open, so it is marked read and Alice sees the receipt.
    await alice.page.locator('[data-receipt="Read"]').waitFor();

    await bob.type('Hello Alice!');
    await alice.page.getByText('Bob is typing…').waitFor();
    await bob.composer.press('Enter');
    await alice.waitForMessage('Hello Alice!');
    await bob.page.locator('[data-receipt="Read"]').waitFor();

    expect(await alice.messageBodies()).toEqual(['Hi Bob', 'Hello Alice!']);
    expect(await bob.messageBodies()).toEqual(['Hi Bob', 'Hello Alice!']);
    await screenshot(alice.page, 'chat-alice');
    await screenshot(bob.page, 'chat-bob');
  });

  it('Shift+Enter adds a line instead of sending', async () => {
    await alice.composer.pressSequentially('line one');
    await alice.composer.press('Shift+Enter');
    await alice.composer.pressSequentially('line two');
    expect(await alice.composer.inputValue()).toBe('line one\nline two');
    await alice.composer.press('Enter');
    await bob.waitForMessage('line one\nline two');
    expect(await alice.composer.inputValue()).toBe('');
  });

  it('catches up after Bob was offline: every missed message once, in order', async () => {
    await bobContext.setOffline(true);
    await bob.page.getByText('You are offline').waitFor();
    await screenshot(bob.page, 'offline-bob');

    for (const body of ['first while away', 'second while away', 'third while away']) {
      await alice.send(body);
      await alice.waitForMessage(body);
    }
    // All three are stored (Alice sees them sent) while Bob's socket is down.
    expect(await bob.messageBodies()).not.toContain('first while away');

    await bobContext.setOffline(false);
    await bob.waitForMessage('third while away');
    await bob.banner.waitFor({ state: 'detached' });
    expect(await bob.messageBodies()).toEqual([
      'Hi Bob',
      'Hello Alice!',
      'line one\nline two',
      'first while away',
      'second while away',
      'third while away',
    ]);
    await screenshot(bob.page, 'resumed-bob');
  });

  it('ran without page errors', () => {
    expect(errors.flat()).toEqual([]);
  });
});
