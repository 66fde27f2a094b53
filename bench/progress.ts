/** Progress lines (`[bench +12.3s] embedded · delivery · 500 msg/s`) so a long run shows it is alive. */
export interface Progress {
  (line: string): void;
  /** Seconds since the run started. */
  elapsed(): number;
}

/** A progress printer whose clock starts now. */
export function createProgress(write: (line: string) => void = console.log): Progress {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const progress = (line: string) => write(`[bench +${elapsed().toFixed(1)}s] ${line}`);
  progress.elapsed = elapsed;
  return progress;
}
