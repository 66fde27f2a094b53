import { z } from 'zod';
import type { Message } from '../../domain/model.ts';
import type { LogRecord } from '../../ports/message-log.ts';

/** A log record in Kafka's terms: keyed by conversation, so a conversation keeps its order. */
export interface EncodedRecord {
  readonly key: string;
  readonly value: string;
}

/** A record that cannot be decoded; it goes to the dead-letter topic with this reason. */
export class PoisonRecordError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`poison record: ${reason}`);
    this.name = 'PoisonRecordError';
    this.reason = reason;
  }
}

const isoDate = z.iso.datetime().transform((value) => new Date(value));

const messageSchema = z.object({
  id: z.string().min(1),
  conversationId: z.string().min(1),
  seq: z.number().int().positive(),
  clientId: z.string().nullable(),
  senderId: z.string().nullable(),
  kind: z.enum(['USER', 'ASSISTANT', 'SYSTEM']),
  body: z.string(),
  status: z.enum(['SENT', 'STREAMING', 'COMPLETE', 'FAILED', 'CANCELLED']),
  error: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
}) satisfies z.ZodType<Message, unknown>;

const recordSchema = z.object({
  type: z.enum(['message.created', 'message.finalized']),
  message: messageSchema,
});

/** Encodes a record as JSON (Dates as ISO strings), keyed by its conversation. */
export function encodeRecord(record: LogRecord): EncodedRecord {
  return { key: record.message.conversationId, value: JSON.stringify(record) };
}

/** Decodes and validates a record value. @throws PoisonRecordError when it is not one. */
export function decodeRecord(value: Buffer | string | null): LogRecord {
  if (value === null) throw new PoisonRecordError('empty value');
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    throw new PoisonRecordError('value is not JSON');
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    throw new PoisonRecordError(`invalid record: ${z.prettifyError(parsed.error).slice(0, 300)}`);
  }
  return parsed.data;
}
