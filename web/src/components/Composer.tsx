import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/index.ts';

const SetTypingMutation = graphql(`
  mutation SetTyping($conversationId: ID!, $typing: Boolean!) {
    setTyping(conversationId: $conversationId, typing: $typing)
  }
`);

/** Re-announce typing at most this often, and stop after this long without a keystroke. */
const typingRefreshMs = 3_000;
const typingIdleMs = 4_000;

export interface ComposerProps {
  readonly conversationId: string;
  readonly onSend: (body: string) => void;
}

/** The message box: Enter sends, Shift+Enter adds a line; typing is announced while it lasts. */
export function Composer({ conversationId, onSend }: ComposerProps) {
  const [text, setText] = useState('');
  const [, setTyping] = useMutation(SetTypingMutation);
  const typingSince = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inputId = useId();
  const hintId = useId();

  const stopTyping = () => {
    clearTimeout(idleTimer.current);
    if (typingSince.current === 0) return;
    typingSince.current = 0;
    void setTyping({ conversationId, typing: false });
  };

  // Leaving the conversation ends the typing indicator for the others.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on unmount only
  useEffect(() => stopTyping, []);

  const onChange = (value: string) => {
    setText(value);
    if (!value.trim()) {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (now - typingSince.current > typingRefreshMs) {
      typingSince.current = now;
      void setTyping({ conversationId, typing: true });
    }
    clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, typingIdleMs);
  };

  const send = () => {
    const body = text.trim();
    if (!body) return;
    onSend(body);
    setText('');
    stopTyping();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const asksAssistant = /^\/ai\b/i.test(text.trimStart());

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      className="border-t border-slate-200 p-3 dark:border-slate-800"
    >
      <p id={hintId} className="mb-1 text-xs text-slate-500 dark:text-slate-400">
        {asksAssistant
          ? 'The assistant will reply to everyone in this conversation.'
          : 'Enter to send, Shift+Enter for a new line. Start with /ai to ask the assistant.'}
      </p>
      <div className="flex items-end gap-2">
        <label htmlFor={inputId} className="sr-only">
          Message
        </label>
        <textarea
          id={inputId}
          value={text}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={hintId}
          rows={Math.min(6, Math.max(1, text.split('\n').length))}
          maxLength={4000}
          placeholder="Write a message…"
          className="min-h-10 flex-1 resize-none rounded-xl border border-slate-300 bg-white px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
        />
        <button
          type="submit"
          disabled={!text.trim()}
          className="h-10 rounded-xl bg-indigo-600 px-4 font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          Send
        </button>
      </div>
    </form>
  );
}
