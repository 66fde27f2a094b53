import { Samples, type Summary } from '../stats.ts';

interface Sent {
  readonly sentAt: number;
  acked: boolean;
  received: number;
}

/** Counts of one measured window. */
export interface TrackerCounts {
  readonly sent: number;
  readonly acked: number;
  readonly deliveries: number;
  readonly expectedDeliveries: number;
  /** Deliveries of acknowledged messages that never arrived. */
  readonly missing: number;
  /** The same message delivered twice to one subscriber's count. */
  readonly duplicates: number;
  readonly sendErrors: Readonly<Record<string, number>>;
}

/**
 * Matches deliveries to sends by clientId: latency is receive time minus the time taken
 * just before the send, both from this process's `performance.now()`.
 */
export class DeliveryTracker {
  readonly #fanOut: number;
  readonly #sent = new Map<string, Sent>();
  #latency = new Samples();
  #ack = new Samples();
  #acked = 0;
  #inFlight = 0;
  #deliveries = 0;
  #duplicates = 0;
  #errors: Record<string, number> = {};
  #settled: (() => void) | null = null;

  /** `fanOut`: how many subscribers receive each message. */
  constructor(fanOut: number) {
    this.#fanOut = fanOut;
  }

  /** Records a send about to go out; returns its start time. */
  begin(clientId: string): number {
    const sentAt = performance.now();
    this.#inFlight += 1;
    this.#sent.set(clientId, { sentAt, acked: false, received: 0 });
    return sentAt;
  }

  acked(clientId: string): void {
    const sent = this.#sent.get(clientId);
    if (!sent) return;
    sent.acked = true;
    this.#acked += 1;
    this.#inFlight -= 1;
    this.#ack.push(performance.now() - sent.sentAt);
    this.#check();
  }

  failed(clientId: string, code: string): void {
    this.#errors[code] = (this.#errors[code] ?? 0) + 1;
    this.#inFlight -= 1;
    // A failed send may still have been delivered; it just is not expected.
    const sent = this.#sent.get(clientId);
    if (sent) sent.acked = false;
    this.#check();
  }

  /** The subscriber listener. Messages this tracker did not send are ignored. */
  readonly delivered = (clientId: string, receivedAt: number): void => {
    const sent = this.#sent.get(clientId);
    if (!sent) return;
    sent.received += 1;
    if (sent.received > this.#fanOut) {
      this.#duplicates += 1;
      return;
    }
    this.#deliveries += 1;
    this.#latency.push(receivedAt - sent.sentAt);
    this.#check();
  };

  /**
   * Resolves true when every send begun so far settled and every acked message reached
   * every subscriber, or false after `timeoutMs`.
   */
  settled(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#settled = null;
        resolve(false);
      }, timeoutMs);
      this.#settled = () => {
        if (this.#inFlight > 0 || this.#deliveries < this.#acked * this.#fanOut) return;
        clearTimeout(timer);
        this.#settled = null;
        resolve(true);
      };
      this.#check();
    });
  }

  /** Resolves once no send is in flight, or false after `timeoutMs`. */
  async quiet(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.#inFlight > 0) {
      if (performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  #check(): void {
    this.#settled?.();
  }

  counts(): TrackerCounts {
    let missing = 0;
    for (const sent of this.#sent.values()) {
      if (sent.acked) missing += Math.max(0, this.#fanOut - sent.received);
    }
    return {
      sent: this.#sent.size,
      acked: this.#acked,
      deliveries: this.#deliveries,
      expectedDeliveries: this.#acked * this.#fanOut,
      missing,
      duplicates: this.#duplicates,
      sendErrors: { ...this.#errors },
    };
  }

  latency(): Summary {
    return this.#latency.summary();
  }

  ackLatency(): Summary {
    return this.#ack.summary();
  }
}
