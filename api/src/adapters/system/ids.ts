import { randomBytes } from 'node:crypto';
import type { Clock, IdGenerator } from '../../ports/clock.ts';
import { systemClock } from './clock.ts';

/** Bits of the per-millisecond counter (RFC 9562 §6.2 method 1: rand_a plus 18 bits of rand_b). */
const counterBits = 30;
const counterMax = 2 ** counterBits - 1;

/**
 * UUIDv7 ids (RFC 9562): a millisecond timestamp, then a counter seeded randomly each
 * millisecond, then random bits. Ids from one generator sort lexicographically in creation
 * order, even when the clock steps back, and are URL-safe (lower-case hex and dashes).
 */
export function createIdGenerator(clock: Clock = systemClock): IdGenerator {
  let lastMs = -1;
  let counter = 0;
  return {
    next() {
      const now = clock.now().getTime();
      if (now > lastMs) {
        lastMs = now;
        // Top counter bit starts clear, leaving at least 2^29 increments in this millisecond.
        counter = randomBytes(4).readUInt32BE() >>> (32 - counterBits + 1);
      } else if (counter < counterMax) {
        counter += 1;
      } else {
        // Counter exhausted: borrow the next millisecond rather than break the ordering.
        lastMs += 1;
        counter = 0;
      }
      return formatUuidV7(lastMs, counter, randomBytes(6));
    },
  };
}

function formatUuidV7(ms: number, counter: number, random: Buffer): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes.writeUInt16BE(0x7000 | ((counter >>> 18) & 0x0fff), 6);
  bytes[8] = 0x80 | ((counter >>> 12) & 0x3f);
  bytes[9] = (counter >>> 4) & 0xff;
  bytes[10] = ((counter & 0x0f) << 4) | ((random[0] ?? 0) & 0x0f);
  random.copy(bytes, 11, 1, 6);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
