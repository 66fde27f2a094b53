/** Wraps `run` so that only its first call runs; later calls get the first call's promise. */
export function once(run: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | null = null;
  return () => {
    result ??= run();
    return result;
  };
}
