/**
 * The whole product in a real browser: the built web app served by the real API
 * (embedded mode), with Alice and Bob in two isolated Chromium contexts.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeminiFixture, startGeminiFixture } from '../../api/test/support/gemini-fixture.ts';
import {
  openDirect,
  sendMessage,
  signUp,
  startTestServer,
  type TestServer,
} from '../../api/test/support/server.ts';
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
  let gemini: GeminiFixture;
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
    gemini = await startGeminiFixture();
    server = await startTestServer({
      env: {
        WEB_DIST_DIR: webDist,
        GEMINI_API_KEY: gemini.apiKey,
        GEMINI_BASE_URL: gemini.baseUrl,
        ASSISTANT_UPDATE_INTERVAL_MS: '20',
      },
    });
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
    await gemini?.close();
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

  it('chats both ways live, with unread badges, typing indicators and read receipts', async () => {
    await alice.openChatWith('Bob');
    await alice.send('Hi Bob');

    // Bob has not opened the chat: it tops his list with a preview and an unread badge.
    const bobsChat = bob.conversationButton('Alice');
    await bobsChat.filter({ hasText: 'Hi Bob' }).locator('[data-unread="1"]').waitFor();
    await bobsChat.click();
    await bob.waitForMessage('Hi Bob');
    // Opening it marks it read: the badge goes, and Alice sees the receipt.
    await bobsChat.locator('[data-unread]').waitFor({ state: 'detached' });
    await alice.page.locator('[data-receipt="Read"]').waitFor();

    await bob.type('Hello Alice!');
    await alice.page.getByText('Bob is typing…').waitFor();
    await bob.composer.press('Enter');
    await alice.waitForMessage('Hello Alice!');
    await alice.page.getByText('Bob is typing…').waitFor({ state: 'detached' });
    await bob.page.locator('[data-receipt="Read"]').waitFor();

    expect(await alice.messageBodies()).toEqual(['Hi Bob', 'Hello Alice!']);
    expect(await bob.messageBodies()).toEqual(['Hi Bob', 'Hello Alice!']);
    await screenshot(alice.page, 'chat-alice');
    await screenshot(bob.page, 'chat-bob');
  });

  it('Shift+Enter adds a line instead of sending', async () => {
    await alice.type('line one');
    await bob.page.getByText('Alice is typing…').waitFor();
    await alice.composer.press('Shift+Enter');
    await alice.type('line two');
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

  it('/ai streams the assistant reply to both, and Stop cancels it', async () => {
    // Two chunks, then the model stalls: the reply stays STREAMING until someone stops it.
    gemini.scriptDefault({
      chunks: ['Parley is ', 'a chat app', ' (never sent)'],
      stallAfterChunks: 2,
    });
    await alice.composer.fill('/ai');
    await alice.page.getByText('The assistant will reply to everyone').waitFor();
    await alice.send('/ai what is Parley?');

    for (const viewer of [alice, bob]) {
      const streaming = viewer.page.locator('li[data-assistant-status="STREAMING"]');
      await streaming.filter({ hasText: 'Parley is a chat app' }).waitFor();
    }
    await screenshot(alice.page, 'assistant-streaming');
    await bob.page.getByRole('button', { name: 'Stop' }).click();
    for (const viewer of [alice, bob]) {
      const cancelled = viewer.page.locator('li[data-assistant-status="CANCELLED"]');
      await cancelled.filter({ hasText: 'Stopped' }).waitFor();
      expect(await cancelled.locator(':scope > div').textContent()).toBe('Parley is a chat app');
    }
  });

  it('/ai completes a reply', async () => {
    gemini.scriptDefault({ chunks: ['Hello', ' from', ' the assistant.'] });
    await bob.send('/ai say hello');
    for (const viewer of [alice, bob]) {
      const done = viewer.page.locator('li[data-assistant-status="COMPLETE"]');
      await done.filter({ hasText: 'Hello from the assistant.' }).waitFor();
    }
    // Both have the conversation open, so neither is left with an unread badge.
    await alice.page.locator('[data-unread]').waitFor({ state: 'detached' });
    await bob.page.locator('[data-unread]').waitFor({ state: 'detached' });
    // The README's screenshot: a conversation with an assistant reply.
    await screenshot(alice.page, 'chat-view');
  });

  it('follows the system dark mode and fits a phone screen', async () => {
    const background = () =>
      alice.page.evaluate(() => {
        const shell = document.querySelector('#root > div');
        return shell ? getComputedStyle(shell).backgroundColor : null;
      });
    const light = await background();
    await alice.page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).not.toBe(light);
    await screenshot(alice.page, 'chat-view-dark');

    await alice.page.setViewportSize({ width: 390, height: 760 });
    const sidebar = alice.page.getByRole('complementary', { name: 'Conversations and contacts' });
    await sidebar.waitFor({ state: 'hidden' });
    await screenshot(alice.page, 'chat-view-phone');
    await alice.page.getByRole('button', { name: 'Back to conversations' }).click();
    await sidebar.waitFor({ state: 'visible' });
    await alice.page.emulateMedia({ colorScheme: 'light' });
    await alice.page.setViewportSize({ width: 1100, height: 720 });
    await alice.conversationButton('Bob').click();
    await alice.waitForMessage('Hello from the assistant.');
  });

  it('keeps a failed send with a retry that reuses its clientId', async () => {
    await aliceContext.setOffline(true);
    await alice.page.getByText('You are offline').waitFor();
    await alice.send('sent on the second try');
    const failed = alice.page.locator('li[data-pending="failed"]');
    await failed.filter({ hasText: 'Failed to send' }).waitFor();

    await aliceContext.setOffline(false);
    await alice.banner.waitFor({ state: 'detached' });
    await failed.getByRole('button', { name: 'Retry' }).click();
    await alice.waitForMessage('sent on the second try');
    await bob.waitForMessage('sent on the second try');
    await alice.page.locator('li[data-pending]').waitFor({ state: 'detached' });
    for (const viewer of [alice, bob]) {
      const bodies = await viewer.messageBodies();
      expect(bodies.filter((body) => body === 'sent on the second try')).toHaveLength(1);
    }
  });

  it('creates a group that the other member sees and can chat in', async () => {
    await alice.page.getByText('New group').click();
    await alice.page.getByLabel('Group name').fill('Weekend plans');
    await alice.page.getByRole('checkbox', { name: 'Bob' }).check();
    await alice.page.getByRole('button', { name: 'Create group' }).click();
    await alice.page.getByRole('heading', { name: 'Weekend plans', level: 1 }).waitFor();
    await alice.send('Hiking on Saturday?');

    const group = bob.conversationButton('Weekend plans');
    await group.filter({ hasText: 'Hiking on Saturday?' }).waitFor();
    await group.click();
    await bob.waitForMessage('Hiking on Saturday?');
    await bob.send('Count me in');
    await alice.waitForMessage('Count me in');
    // Activity order: the group, with the newest message, is first in Alice's list.
    const first = alice.page
      .getByRole('list', { name: 'Conversations' })
      .getByRole('button')
      .first();
    expect(await first.getAttribute('aria-label')).toMatch(/^Weekend plans/);
  });

  it('loads older history as the reader scrolls up', async () => {
    const carol = await signUp(server, 'Carol');
    const dave = await signUp(server, 'Dave');
    const conversationId = await openDirect(server, dave, carol);
    const bodies = Array.from({ length: 70 }, (_, i) => `history ${i + 1}`);
    for (const body of bodies) await sendMessage(server, dave, conversationId, body);

    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    const reader = new ChatPage(await context.newPage());
    errors.push(collectPageErrors(reader.page));
    await reader.logIn(server.url, carol.email, 'correct horse battery', 'Carol');
    // The refresh token is an httpOnly cookie: in the browser's jar, out of scripts' reach.
    const [cookie, ...others] = await context.cookies();
    expect(others).toEqual([]);
    expect(cookie).toMatchObject({
      name: 'parley_refresh',
      path: '/graphql',
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(
      await reader.page.evaluate(() => [
        document.cookie,
        window.sessionStorage.length,
        window.localStorage.length,
      ]),
    ).toEqual(['', 0, 0]);
    await reader.conversationButton('Dave').click();
    await reader.waitForMessage('history 70');
    expect(await reader.messages.count()).toBe(30);

    const loadEarlier = reader.page.getByRole('button', { name: 'Load earlier messages' });
    for (const expected of [60, 70]) {
      await loadEarlier.scrollIntoViewIfNeeded();
      await reader.messages.nth(expected - 1).waitFor();
    }
    await loadEarlier.waitFor({ state: 'detached' });
    expect(await reader.messageBodies()).toEqual(bodies);

    // A reload keeps the tab signed in (refreshSession on the cookie) and the chat open.
    await reader.page.reload();
    await reader.page.getByText('Signed in as Carol').waitFor();
    await reader.waitForMessage('history 70');

    await reader.page.getByRole('button', { name: 'Log out' }).click();
    await reader.page.getByRole('button', { name: 'Log in' }).waitFor();
    // The server revoked the session and cleared the cookie: a reload stays signed out.
    expect(await context.cookies()).toEqual([]);
    await reader.page.reload();
    await reader.page.getByRole('button', { name: 'Log in' }).waitFor();
    await context.close();
  });

  it('shows "Read" for a read that happened before the chat was opened', async () => {
    const erin = await signUp(server, 'Erin');
    const frank = await signUp(server, 'Frank');
    const conversationId = await openDirect(server, erin, frank);
    const asked = await sendMessage(server, erin, conversationId, 'Did you get my note?');
    // Frank reads it while Erin is away: no ReadUpTo event can reach her.
    const read = await server.gql(
      'mutation ($id: ID!, $seq: Int!) { markRead(conversationId: $id, seq: $seq) { id } }',
      { id: conversationId, seq: asked.seq },
      frank.accessToken,
    );
    expect(read.errors).toBeUndefined();

    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    const sender = new ChatPage(await context.newPage());
    errors.push(collectPageErrors(sender.page));
    await sender.logIn(server.url, erin.email, 'correct horse battery', 'Erin');
    await sender.conversationButton('Frank').click();
    await sender.waitForMessage('Did you get my note?');
    // The receipt comes from the stored read mark (Conversation.readMarks).
    await sender.page.locator('[data-receipt="Read"]').waitFor();
    await context.close();
  });

  it('ran without page errors', () => {
    expect(errors.flat()).toEqual([]);
  });
});
