import type { Conversation, Message, User, UserId } from '../../domain/model.ts';
import type { ModelTurn } from '../../ports/assistant-model.ts';

/** True for a message body that asks the assistant: `/ai` followed by a space or nothing. */
export function isAssistantPrompt(body: string): boolean {
  return /^\/ai(?:\s|$)/.test(body.trimStart());
}

/** Who the model is talking to, and how much history it may see. */
export interface ContextSettings {
  readonly assistantUserId: UserId;
  readonly assistantName: string;
  /** The deployment's own instruction, placed before the conversation's description. */
  readonly systemInstruction: string;
  /** Most characters of history sent to the model (roughly 4 per token). */
  readonly maxChars: number;
}

/** Messages that belong in the model's view: sent user text and the assistant's kept replies. */
function visible(message: Message, assistantUserId: UserId): boolean {
  if (message.body.trim() === '') return false;
  if (message.kind === 'ASSISTANT') {
    return (
      message.senderId === assistantUserId &&
      (message.status === 'COMPLETE' || message.status === 'CANCELLED')
    );
  }
  return message.status === 'SENT';
}

function turnOf(message: Message, names: ReadonlyMap<UserId, string>): ModelTurn {
  if (message.kind === 'ASSISTANT') return { role: 'model', text: message.body };
  if (message.kind === 'SYSTEM') return { role: 'user', text: `[system] ${message.body}` };
  const name = (message.senderId && names.get(message.senderId)) ?? 'A former member';
  return { role: 'user', text: `${name}: ${message.body}` };
}

/**
 * The newest messages (ascending in, ascending out) as model turns within the character
 * budget. The newest one is always kept (cut to the budget); the history starts with a user
 * turn, and consecutive turns of one role are merged, as Gemini expects alternating roles.
 */
export function buildTurns(
  messages: readonly Message[],
  names: ReadonlyMap<UserId, string>,
  settings: ContextSettings,
): ModelTurn[] {
  const picked: ModelTurn[] = [];
  let chars = 0;
  for (const message of [...messages].reverse()) {
    if (!visible(message, settings.assistantUserId)) continue;
    const turn = turnOf(message, names);
    if (picked.length === 0 && turn.text.length > settings.maxChars) {
      picked.push({ ...turn, text: turn.text.slice(0, settings.maxChars) });
      break;
    }
    if (chars + turn.text.length > settings.maxChars) break;
    chars += turn.text.length;
    picked.push(turn);
  }
  const ascending = picked.reverse();
  while (ascending[0]?.role === 'model') ascending.shift();
  const merged: ModelTurn[] = [];
  for (const turn of ascending) {
    const last = merged.at(-1);
    if (last?.role === turn.role)
      merged[merged.length - 1] = { ...last, text: `${last.text}\n${turn.text}` };
    else merged.push(turn);
  }
  return merged;
}

/** The system instruction: the deployment's text, then who is in this conversation. */
export function buildSystemInstruction(
  conversation: Conversation,
  members: readonly User[],
  settings: ContextSettings,
): string {
  const people = members
    .filter((member) => member.id !== settings.assistantUserId)
    .map((member) => member.name)
    .join(', ');
  const where =
    conversation.kind === 'GROUP'
      ? `a group chat called "${conversation.title ?? 'untitled'}"`
      : 'a direct chat';
  return [
    settings.systemInstruction,
    `You are ${settings.assistantName}, taking part in ${where} with: ${people}.`,
    "Each user message starts with its sender's name. Messages starting with /ai are addressed to you: answer the latest one.",
  ].join('\n\n');
}
