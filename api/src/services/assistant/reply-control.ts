/** Why a reply was stopped before the model finished. */
export type StopReason = 'cancelled' | 'idle-timeout' | 'max-duration' | 'shutdown';

/**
 * The abort switch of one streaming reply: cancellation, an idle timeout (no upstream
 * progress for `idleMs`) and a hard cap on the reply's duration all abort the one signal
 * handed to the model, and the first reason wins.
 */
export class ReplyControl {
  readonly #controller = new AbortController();
  readonly #idleMs: number;
  #idleTimer: NodeJS.Timeout | null = null;
  readonly #deadline: NodeJS.Timeout;
  #reason: StopReason | null = null;

  constructor(idleMs: number, maxMs: number) {
    this.#idleMs = idleMs;
    this.#deadline = setTimeout(() => this.stop('max-duration'), maxMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The first reason the reply was stopped for, or null while it runs. */
  get reason(): StopReason | null {
    return this.#reason;
  }

  /** Records upstream progress, restarting the idle timeout. */
  touch(): void {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.stop('idle-timeout'), this.#idleMs);
  }

  stop(reason: StopReason): void {
    if (this.#reason !== null) return;
    this.#reason = reason;
    this.dispose();
    this.#controller.abort(new Error(`assistant reply stopped: ${reason}`));
  }

  /** Clears the timers; the reply is over. */
  dispose(): void {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    clearTimeout(this.#deadline);
  }
}
