/**
 * A complete Parley bot: it logs in, listens to one conversation and answers "ping" with
 * "pong" (and echoes anything else). Run it against a server:
 *
 *   PARLEY_URL=http://localhost:4000/graphql PARLEY_EMAIL=bot@example.com \
 *   PARLEY_PASSWORD=... PARLEY_CONVERSATION_ID=... node client/examples/bot.ts
 */
import {
  ConversationHistoryDocument,
  createParleyClient,
  LogInDocument,
  RefreshSessionDocument,
  SendMessageDocument,
} from '@parley/client';

export interface BotOptions {
  /** The HTTP GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  readonly url: string;
  readonly email: string;
  readonly password: string;
  readonly conversationId: string;
  /** The answer to a message, or null to stay quiet. */
  readonly reply?: (text: string) => string | null;
  /** Stops the bot. */
  readonly signal?: AbortSignal;
  /** Called once the bot is listening: everything said from then on gets an answer. */
  readonly onReady?: () => void;
}

const pingPong = (text: string) => (/^ping$/i.test(text.trim()) ? 'pong' : `You said: ${text}`);

/** Runs the bot until `signal` aborts (or the subscription fails). */
export async function runBot(options: BotOptions): Promise<void> {
  const { url, email, password, conversationId, reply = pingPong, signal, onReady } = options;
  let tokens: { accessToken: string; refreshToken: string } | null = null;

  const client = createParleyClient({
    url,
    getAccessToken: () => tokens?.accessToken ?? null,
    // Access tokens live ~15 minutes; the client calls this when one is refused.
    refresh: async () => {
      if (!tokens) throw new Error('not logged in');
      const { refreshSession } = await client.request(RefreshSessionDocument, {
        refreshToken: tokens.refreshToken,
      });
      tokens = refreshSession;
    },
  });

  try {
    const { logIn } = await client.request(LogInDocument, { input: { email, password } });
    tokens = logIn;
    const me = logIn.user;

    // Answer only what is said from now on: resume after the newest message.
    const history = await client.request(ConversationHistoryDocument, {
      id: conversationId,
      last: 1,
    });
    const afterSeq = history.conversation?.messages.edges.at(-1)?.node.seq ?? 0;

    // Reconnects resume after the last seq seen, so no message is missed or seen twice.
    const events = client.conversationEvents(conversationId, { afterSeq });
    signal?.addEventListener('abort', () => void events.return?.(), { once: true });
    onReady?.();

    for await (const event of events) {
      if (event.__typename !== 'MessageAdded') continue;
      const { message } = event;
      if (message.kind !== 'USER' || message.sender?.id === me.id) continue;
      const body = reply(message.body);
      if (body === null) continue;
      // A clientId derived from the message: a restarted bot never answers twice.
      await client.request(SendMessageDocument, {
        input: { conversationId, body, clientId: `bot-reply-${message.id}` },
      });
    }
  } finally {
    await client.close();
  }
}

if (import.meta.main) {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`set ${name}`);
    return value;
  };
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  await runBot({
    url: process.env['PARLEY_URL'] ?? 'http://localhost:4000/graphql',
    email: env('PARLEY_EMAIL'),
    password: env('PARLEY_PASSWORD'),
    conversationId: env('PARLEY_CONVERSATION_ID'),
    signal: stop.signal,
  });
}
