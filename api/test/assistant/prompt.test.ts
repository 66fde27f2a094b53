import { describe, expect, it } from 'vitest';
import type { Conversation, Message, User } from '../../src/domain/model.ts';
import {
  buildSystemInstruction,
  buildTurns,
  type ContextSettings,
  isAssistantPrompt,
} from '../../src/services/assistant/prompt.ts';

const at = new Date('2025-09-01T12:00:00Z');
const settings: ContextSettings = {
  assistantUserId: 'assistant',
  assistantName: 'Parley Assistant',
  systemInstruction: 'Be kind.',
  maxChars: 1000,
};
const names = new Map([
  ['ana', 'Ana'],
  ['ben', 'Ben'],
]);

let seq = 0;
function message(senderId: string | null, body: string, extra: Partial<Message> = {}): Message {
  seq += 1;
  return {
    id: `m${seq}`,
    conversationId: 'c',
    seq,
    clientId: null,
    senderId,
    kind: senderId === 'assistant' ? 'ASSISTANT' : senderId === null ? 'SYSTEM' : 'USER',
    body,
    status: senderId === 'assistant' ? 'COMPLETE' : 'SENT',
    error: null,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

describe('assistant prompt building', () => {
  it('recognises /ai prompts only at the start of a body', () => {
    expect(isAssistantPrompt('/ai what now?')).toBe(true);
    expect(isAssistantPrompt('/ai')).toBe(true);
    expect(isAssistantPrompt('  /ai\nhelp')).toBe(true);
    expect(isAssistantPrompt('/aim high')).toBe(false);
    expect(isAssistantPrompt('ask /ai later')).toBe(false);
  });

  it('names the senders, merges runs of one side and keeps only the kept replies', () => {
    const turns = buildTurns(
      [
        message('assistant', 'an old answer that starts the window'),
        message('ana', 'hi all'),
        message('ben', 'hey'),
        message(null, 'Ben renamed the group'),
        message('ana', '/ai plan a trip'),
        message('assistant', 'Try Lisbon.'),
        message('assistant', 'broken', { status: 'FAILED', error: 'x' }),
        message('assistant', 'still going', { status: 'STREAMING' }),
        message('gone', 'I left'),
        message('ben', '/ai cheaper?'),
      ],
      names,
      settings,
    );

    expect(turns).toEqual([
      {
        role: 'user',
        text: 'Ana: hi all\nBen: hey\n[system] Ben renamed the group\nAna: /ai plan a trip',
      },
      { role: 'model', text: 'Try Lisbon.' },
      { role: 'user', text: 'A former member: I left\nBen: /ai cheaper?' },
    ]);
  });

  it('keeps the newest messages within the character budget, and always the prompt', () => {
    const history = [message('ana', 'a'.repeat(50)), message('ben', 'b'.repeat(50))];
    const prompt = message('ana', `/ai ${'c'.repeat(30)}`);

    const fits = buildTurns([...history, prompt], names, { ...settings, maxChars: 100 });
    expect(fits).toEqual([{ role: 'user', text: `Ben: ${'b'.repeat(50)}\nAna: ${prompt.body}` }]);

    const tiny = buildTurns([...history, prompt], names, { ...settings, maxChars: 10 });
    expect(tiny).toEqual([{ role: 'user', text: 'Ana: /ai c' }]);
  });

  it('describes the conversation and its members in the system instruction', () => {
    const conversation: Conversation = {
      id: 'c',
      kind: 'GROUP',
      title: 'Trip',
      memberIds: ['ana', 'ben', 'assistant'],
      directKey: null,
      createdAt: at,
      lastActivityAt: at,
    };
    const user = (id: string, name: string): User => ({
      id,
      name,
      email: `${id}@example.test`,
      passwordHash: '!',
      createdAt: at,
    });

    const text = buildSystemInstruction(
      conversation,
      [user('ana', 'Ana'), user('ben', 'Ben'), user('assistant', 'Parley Assistant')],
      settings,
    );

    expect(text.startsWith('Be kind.\n\n')).toBe(true);
    expect(text).toContain(
      'You are Parley Assistant, taking part in a group chat called "Trip" with: Ana, Ben.',
    );
  });
});
