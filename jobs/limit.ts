/**
 * A counting semaphore for async work: at most `n` calls run at once.
 *
 * @module
 */

/** Runs a function when one of the limiter's slots is free. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Creates a limiter with `concurrency` slots (at least 1). */
export function createLimiter(concurrency: number): Limiter {
  const slots = Math.max(1, Math.floor(concurrency));
  let running = 0;
  const waiting: (() => void)[] = [];

  return async function limited<T>(task: () => Promise<T>): Promise<T> {
    if (running >= slots) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
}
