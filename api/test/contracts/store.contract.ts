import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, User } from '../../src/domain/model.ts';
import { InvalidCursorError, type Store, UniqueViolationError } from '../../src/ports/store.ts';
import {
  aConversation,
  aMessage,
  aSession,
  at,
  aUser,
  messageRange,
  seqsOf,
  uniqueId,
  uniqueTag,
} from './fixtures.ts';

/**
 * The Store port's semantics, for every adapter (SQLite, Mongo). `makeStore` returns a
 * ready store; each test gets its own and closes it. Ids are random, so a shared database
 * works too.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await makeStore();
    });

    afterEach(async () => {
      await store.close();
    });

    async function createUser(overrides: Partial<User> = {}): Promise<User> {
      const user = aUser(overrides);
      await store.users.create(user);
      return user;
    }

    async function createConversation(
      members: readonly User[],
      overrides: Partial<Conversation> = {},
    ): Promise<Conversation> {
      const conversation = aConversation(
        members.map((member) => member.id),
        overrides,
      );
      await store.conversations.create(conversation);
      return conversation;
    }

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('users', () => {
      it('round-trips a user, found by id and by email in any case', async () => {
        const user = await createUser({ email: `${uniqueTag()}@example.com` });
        expect(await store.users.findById(user.id)).toEqual(user);
        expect(await store.users.findByEmail(user.email.toUpperCase())).toEqual(user);
        expect(await store.users.findById(uniqueId('missing'))).toBeNull();
        expect(await store.users.findByEmail(`${uniqueTag()}@example.com`)).toBeNull();
      });

      it('rejects a taken email, whatever its case, with UniqueViolationError(email)', async () => {
        const user = await createUser({ email: `${uniqueTag()}@example.com` });
        const clash = store.users.create(aUser({ email: user.email.toUpperCase() }));
        await expect(clash).rejects.toBeInstanceOf(UniqueViolationError);
        await expect(clash).rejects.toMatchObject({ field: 'email' });
      });

      it('findByIds returns exactly the users that exist', async () => {
        const [a, b] = [await createUser(), await createUser()];
        const found = await store.users.findByIds([b.id, uniqueId('missing'), a.id]);
        expect(found.map((user) => user.id).sort()).toEqual([a.id, b.id].sort());
        expect(await store.users.findByIds([])).toEqual([]);
      });

      it('search matches an email prefix or a name word prefix, case-insensitively, never the searcher', async () => {
        const tag = uniqueTag();
        const Tag = tag.toUpperCase();
        const byEmail = await createUser({ name: 'Ada Lovelace', email: `${tag}ada@example.com` });
        const byName = await createUser({
          name: `${Tag}bert Smith`,
          email: `b-${tag}@example.com`,
        });
        const byWord = await createUser({
          name: `Carol ${Tag}ford`,
          email: `c-${uniqueTag()}@x.io`,
        });
        await createUser({ name: `Dan X${tag}`, email: `dan-${tag}@example.com` });
        const searcher = await createUser({ name: `${tag} Me`, email: `${tag}me@example.com` });

        const found = await store.users.search(Tag, 10, searcher.id);
        expect(found.map((user) => user.id).sort()).toEqual(
          [byEmail.id, byName.id, byWord.id].sort(),
        );
        expect(found.find((user) => user.id === byEmail.id)).toEqual(byEmail);
        expect(await store.users.search(tag, 2, searcher.id)).toHaveLength(2);
      });

      it('search takes % and _ literally', async () => {
        const tag = uniqueTag();
        const searcher = await createUser();
        await createUser({ name: `${tag}x`, email: `${tag}x@example.com` });
        expect(await store.users.search(`${tag}%`, 10, searcher.id)).toEqual([]);
        expect(await store.users.search(`${tag}_`, 10, searcher.id)).toEqual([]);
      });
    });

    describe('contacts', () => {
      it('upsert inserts, then changes only the nickname', async () => {
        const [owner, friend] = [await createUser(), await createUser()];
        const contact = { ownerId: owner.id, userId: friend.id, nickname: 'Bud', createdAt: at(1) };
        expect(await store.contacts.upsert(contact)).toEqual(contact);
        const renamed = await store.contacts.upsert({
          ...contact,
          nickname: null,
          createdAt: at(9),
        });
        expect(renamed).toEqual({ ...contact, nickname: null });
        expect(await store.contacts.find(owner.id, friend.id)).toEqual(renamed);
        expect(await store.contacts.find(friend.id, owner.id)).toBeNull();
      });

      it("lists an owner's contacts and the owners who have a user as a contact", async () => {
        const [a, b, c] = [await createUser(), await createUser(), await createUser()];
        await store.contacts.upsert({
          ownerId: a.id,
          userId: c.id,
          nickname: null,
          createdAt: at(),
        });
        await store.contacts.upsert({
          ownerId: b.id,
          userId: c.id,
          nickname: 'C',
          createdAt: at(),
        });
        await store.contacts.upsert({
          ownerId: a.id,
          userId: b.id,
          nickname: null,
          createdAt: at(),
        });

        const ofA = await store.contacts.listForOwner(a.id);
        expect(ofA.map((contact) => contact.userId).sort()).toEqual([b.id, c.id].sort());
        expect((await store.contacts.listOwnersOf(c.id)).sort()).toEqual([a.id, b.id].sort());
        expect(await store.contacts.listOwnersOf(a.id)).toEqual([]);
        expect(await store.contacts.listForOwner(c.id)).toEqual([]);
      });
    });

    describe('conversations', () => {
      it('round-trips a conversation with its members in order', async () => {
        const [a, b, c] = [await createUser(), await createUser(), await createUser()];
        const conversation = await createConversation([c, a, b], { title: null });
        expect(await store.conversations.findById(conversation.id)).toEqual(conversation);
        expect(await store.conversations.findById(uniqueId('missing'))).toBeNull();
      });

      it('gives a direct pair one conversation: a second directKey is a UniqueViolationError', async () => {
        const [a, b] = [await createUser(), await createUser()];
        const directKey = [a.id, b.id].sort().join(':');
        const direct = await createConversation([a, b], { kind: 'DIRECT', title: null, directKey });
        expect(await store.conversations.findByDirectKey(directKey)).toEqual(direct);
        expect(await store.conversations.findByDirectKey(uniqueId('none'))).toBeNull();

        const again = store.conversations.create(aConversation([a.id, b.id], { directKey }));
        await expect(again).rejects.toBeInstanceOf(UniqueViolationError);
        await expect(again).rejects.toMatchObject({ field: 'directKey' });
        // Groups have no direct key, and any number of them may exist.
        await createConversation([a, b]);
        await createConversation([a, b]);
      });

      it('lists a member’s conversations by last activity, then id, descending, page by page', async () => {
        const [me, other] = [await createUser(), await createUser()];
        const mine: Conversation[] = [];
        for (const offset of [5, 1, 9, 3, 3, 3, 7]) {
          mine.push(await createConversation([me, other], { lastActivityAt: at(offset * 1000) }));
        }
        await createConversation([other]);
        const expected = [...mine]
          .sort(
            (x, y) =>
              y.lastActivityAt.getTime() - x.lastActivityAt.getTime() ||
              (x.id < y.id ? 1 : x.id > y.id ? -1 : 0),
          )
          .map((conversation) => conversation.id);

        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const page = await store.conversations.listForMember(me.id, 3, after);
          seen.push(...page.items.map((conversation) => conversation.id));
          const last = page.items.at(-1);
          if (!page.hasMore || last === undefined) break;
          after = store.conversations.cursorOf(last);
        }
        expect(seen).toEqual(expected);

        const all = await store.conversations.listForMember(me.id, 10, null);
        expect(all.hasMore).toBe(false);
        expect(all.items[0]).toEqual(mine[2]);
        const exact = await store.conversations.listForMember(me.id, 7, null);
        expect(exact.hasMore).toBe(false);
      });

      it('lists nothing for a user in no conversation, and refuses a forged cursor', async () => {
        const loner = await createUser();
        expect(await store.conversations.listForMember(loner.id, 5, null)).toEqual({
          items: [],
          hasMore: false,
        });
        await expect(
          store.conversations.listForMember(loner.id, 5, 'not-a-cursor'),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      });

      it('touch only moves lastActivityAt forward, and the list follows it', async () => {
        const me = await createUser();
        const older = await createConversation([me], { lastActivityAt: at(1000) });
        const newer = await createConversation([me], { lastActivityAt: at(2000) });

        await store.conversations.touch(older.id, at(3000));
        await store.conversations.touch(newer.id, at(500));
        expect((await store.conversations.findById(older.id))?.lastActivityAt).toEqual(at(3000));
        expect((await store.conversations.findById(newer.id))?.lastActivityAt).toEqual(at(2000));
        const page = await store.conversations.listForMember(me.id, 10, null);
        expect(page.items.map((conversation) => conversation.id)).toEqual([older.id, newer.id]);
      });
    });

    describe('messages', () => {
      let alice: User;
      let bob: User;
      let conversation: Conversation;
      let elsewhere: Conversation;

      beforeEach(async () => {
        alice = await createUser();
        bob = await createUser();
        conversation = await createConversation([alice, bob]);
        elsewhere = await createConversation([alice, bob]);
      });

      it('round-trips every field', async () => {
        const message = aMessage(conversation.id, 1, {
          senderId: alice.id,
          kind: 'ASSISTANT',
          status: 'FAILED',
          error: 'model unavailable',
          createdAt: at(1),
          updatedAt: at(2),
        });
        await store.messages.insertMany([message]);
        expect(await store.messages.findById(message.id)).toEqual(message);
        expect(await store.messages.findById(uniqueId('missing'))).toBeNull();
      });

      it('insertMany is idempotent: a replay inserts nothing and counts every duplicate', async () => {
        const batch = messageRange(conversation.id, 1, 3);
        expect(await store.messages.insertMany(batch)).toEqual({ inserted: 3, duplicates: 0 });
        expect(await store.messages.insertMany(batch)).toEqual({ inserted: 0, duplicates: 3 });
        expect(await store.messages.insertMany([])).toEqual({ inserted: 0, duplicates: 0 });
        expect(seqsOf(await store.messages.listAfter(conversation.id, 0, 10))).toEqual([1, 2, 3]);
      });

      it('counts a clash on (conversation, seq) or (conversation, clientId) as a duplicate and keeps the first', async () => {
        const first = aMessage(conversation.id, 1, { body: 'first' });
        await store.messages.insertMany([first]);
        const sameSeq = aMessage(conversation.id, 1, { body: 'same seq' });
        const sameClientId = aMessage(conversation.id, 2, { clientId: first.clientId });
        const fresh = aMessage(conversation.id, 3);
        const sameSeqElsewhere = aMessage(elsewhere.id, 1, { clientId: first.clientId });

        expect(
          await store.messages.insertMany([sameSeq, sameClientId, fresh, sameSeqElsewhere]),
        ).toEqual({ inserted: 2, duplicates: 2 });
        expect(await store.messages.findById(first.id)).toEqual(first);
        expect(await store.messages.findById(sameSeq.id)).toBeNull();
        expect(await store.messages.findById(sameClientId.id)).toBeNull();
        expect(await store.messages.findById(fresh.id)).toEqual(fresh);
        expect(await store.messages.findById(sameSeqElsewhere.id)).toEqual(sameSeqElsewhere);
      });

      it('counts duplicates within one batch, and never treats null clientIds as equal', async () => {
        const a = aMessage(conversation.id, 1, { clientId: null });
        const b = aMessage(conversation.id, 2, { clientId: null });
        expect(await store.messages.insertMany([a, b, a])).toEqual({ inserted: 2, duplicates: 1 });
      });

      it('finds a message by its clientId within a conversation', async () => {
        const message = aMessage(conversation.id, 1);
        await store.messages.insertMany([message]);
        const clientId = message.clientId ?? '';
        expect(await store.messages.findByClientId(conversation.id, clientId)).toEqual(message);
        expect(await store.messages.findByClientId(elsewhere.id, clientId)).toBeNull();
      });

      it('lists before and after a seq, ascending, with gaps, within one conversation', async () => {
        const seqs = [1, 2, 4, 7, 8, 10];
        await store.messages.insertMany(seqs.map((seq) => aMessage(conversation.id, seq)));
        await store.messages.insertMany(seqs.map((seq) => aMessage(elsewhere.id, seq + 100)));
        const id = conversation.id;

        expect(seqsOf(await store.messages.listBefore(id, null, 3))).toEqual([7, 8, 10]);
        expect(seqsOf(await store.messages.listBefore(id, 7, 2))).toEqual([2, 4]);
        expect(seqsOf(await store.messages.listBefore(id, 7, 10))).toEqual([1, 2, 4]);
        expect(seqsOf(await store.messages.listBefore(id, 1, 10))).toEqual([]);
        expect(seqsOf(await store.messages.listAfter(id, 2, 3))).toEqual([4, 7, 8]);
        expect(seqsOf(await store.messages.listAfter(id, 0, 100))).toEqual(seqs);
        expect(seqsOf(await store.messages.listAfter(id, 10, 5))).toEqual([]);
      });

      it('maxSeq is the highest stored seq, 0 when empty', async () => {
        expect(await store.messages.maxSeq(conversation.id)).toBe(0);
        await store.messages.insertMany([3, 12, 5].map((seq) => aMessage(conversation.id, seq)));
        expect(await store.messages.maxSeq(conversation.id)).toBe(12);
        expect(await store.messages.maxSeq(elsewhere.id)).toBe(0);
      });

      it("countUnread counts everyone else's messages above the mark, SYSTEM ones included", async () => {
        await store.messages.insertMany([
          aMessage(conversation.id, 1, { senderId: alice.id }),
          aMessage(conversation.id, 2, { senderId: alice.id }),
          aMessage(conversation.id, 3, { senderId: bob.id }),
          aMessage(conversation.id, 4, { senderId: bob.id }),
          aMessage(conversation.id, 5, { senderId: null, kind: 'SYSTEM' }),
          aMessage(elsewhere.id, 6, { senderId: bob.id }),
        ]);
        expect(await store.messages.countUnread(conversation.id, alice.id, 0)).toBe(3);
        expect(await store.messages.countUnread(conversation.id, alice.id, 3)).toBe(2);
        expect(await store.messages.countUnread(conversation.id, bob.id, 0)).toBe(3);
        expect(await store.messages.countUnread(conversation.id, bob.id, 5)).toBe(0);
      });

      it('finalize stores the final state of a STREAMING message, once', async () => {
        const streaming = aMessage(conversation.id, 1, {
          kind: 'ASSISTANT',
          status: 'STREAMING',
          body: '',
        });
        const sent = aMessage(conversation.id, 2);
        await store.messages.insertMany([streaming, sent]);

        const complete = {
          ...streaming,
          body: 'done',
          status: 'COMPLETE' as const,
          updatedAt: at(50),
        };
        await store.messages.finalize(complete);
        expect(await store.messages.findById(streaming.id)).toEqual(complete);

        const late = {
          ...streaming,
          body: 'late',
          status: 'FAILED' as const,
          error: 'x',
          updatedAt: at(60),
        };
        await store.messages.finalize(late);
        await store.messages.finalize({ ...sent, status: 'CANCELLED', body: 'changed' });
        await store.messages.finalize(aMessage(conversation.id, 3, { status: 'COMPLETE' }));
        expect(await store.messages.findById(streaming.id)).toEqual(complete);
        expect(await store.messages.findById(sent.id)).toEqual(sent);
      });

      it('listStaleStreaming returns STREAMING messages last updated before the cutoff', async () => {
        const stale = [1, 2, 3].map((seq) =>
          aMessage(conversation.id, seq, { status: 'STREAMING', updatedAt: at(-600_000) }),
        );
        const fresh = aMessage(conversation.id, 4, { status: 'STREAMING', updatedAt: at() });
        const done = aMessage(conversation.id, 5, { status: 'COMPLETE', updatedAt: at(-600_000) });
        await store.messages.insertMany([...stale, fresh, done]);

        const found = await store.messages.listStaleStreaming(at(-300_000), 1000);
        const ours = found.filter((message) => message.conversationId === conversation.id);
        expect(ours.map((message) => message.id).sort()).toEqual(
          stale.map((message) => message.id).sort(),
        );
        expect(found.every((message) => message.status === 'STREAMING')).toBe(true);
        expect(await store.messages.listStaleStreaming(at(-300_000), 2)).toHaveLength(2);
      });
    });

    describe('sessions', () => {
      let user: User;

      beforeEach(async () => {
        user = await createUser();
      });

      it('round-trips a session by its token hash', async () => {
        const session = aSession(user.id);
        await store.sessions.create(session);
        expect(await store.sessions.findByTokenHash(session.tokenHash)).toEqual(session);
        expect(await store.sessions.findByTokenHash(uniqueId('hash'))).toBeNull();
        await expect(
          store.sessions.create(aSession(user.id, { tokenHash: session.tokenHash })),
        ).rejects.toBeInstanceOf(UniqueViolationError);
      });

      it('markRotated wins once', async () => {
        const session = aSession(user.id);
        await store.sessions.create(session);
        expect(await store.sessions.markRotated(session.id, at(10))).toBe(true);
        expect(await store.sessions.markRotated(session.id, at(20))).toBe(false);
        expect((await store.sessions.findByTokenHash(session.tokenHash))?.rotatedAt).toEqual(
          at(10),
        );
      });

      it('markRotated: of 20 concurrent refreshes with one token, exactly one wins', async () => {
        const session = aSession(user.id);
        await store.sessions.create(session);
        const wins = await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            store.sessions.markRotated(session.id, at(index)),
          ),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
      });

      it('revokeFamily revokes every session of the family and nothing else', async () => {
        const first = aSession(user.id);
        const second = aSession(user.id, { familyId: first.familyId });
        const unrelated = aSession(user.id);
        for (const session of [first, second, unrelated]) await store.sessions.create(session);

        await store.sessions.revokeFamily(first.familyId, at(99));
        expect((await store.sessions.findByTokenHash(first.tokenHash))?.revokedAt).toEqual(at(99));
        expect((await store.sessions.findByTokenHash(second.tokenHash))?.revokedAt).toEqual(at(99));
        expect(await store.sessions.findByTokenHash(unrelated.tokenHash)).toEqual(unrelated);
        expect(await store.sessions.markRotated(second.id, at(100))).toBe(false);
      });
    });

    describe('read marks', () => {
      let alice: User;
      let bob: User;
      let conversation: Conversation;

      beforeEach(async () => {
        alice = await createUser();
        bob = await createUser();
        conversation = await createConversation([alice, bob]);
      });

      it('start at 0 and only move forward', async () => {
        const mark = { conversationId: conversation.id, userId: alice.id };
        expect(await store.readMarks.get(conversation.id, alice.id)).toBe(0);
        expect(await store.readMarks.advance({ ...mark, seq: 5 })).toBe(5);
        expect(await store.readMarks.advance({ ...mark, seq: 3 })).toBe(5);
        expect(await store.readMarks.get(conversation.id, alice.id)).toBe(5);
        expect(await store.readMarks.advance({ ...mark, seq: 8 })).toBe(8);
      });

      it('keep the highest of concurrent advances', async () => {
        const mark = { conversationId: conversation.id, userId: alice.id };
        await Promise.all([5, 3, 9, 7, 1].map((seq) => store.readMarks.advance({ ...mark, seq })));
        expect(await store.readMarks.get(conversation.id, alice.id)).toBe(9);
      });

      it("list a conversation's marks", async () => {
        await store.readMarks.advance({
          conversationId: conversation.id,
          userId: alice.id,
          seq: 4,
        });
        await store.readMarks.advance({ conversationId: conversation.id, userId: bob.id, seq: 2 });
        const marks = await store.readMarks.listForConversation(conversation.id);
        expect([...marks].sort((x, y) => x.seq - y.seq)).toEqual([
          { conversationId: conversation.id, userId: bob.id, seq: 2 },
          { conversationId: conversation.id, userId: alice.id, seq: 4 },
        ]);
      });
    });
  });
}
