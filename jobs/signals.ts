/**
 * The stop signals of `deno task start` and of the job commands.
 *
 * @module
 */

/**
 * Signals this soon after the first are its copies: Ctrl-C in a terminal,
 * or systemd, signals the whole process group, `deno task` included, and
 * it passes the signal on to this process.
 */
const REPEAT_AFTER_MS = 1_000;

/**
 * Calls `stop` on the first of `signals` to arrive, and `exit` on one that
 * comes a second or more after it. Copies within that second are ignored.
 */
export function onStopSignals(
  signals: readonly Deno.Signal[],
  handlers: {
    stop(signal: Deno.Signal): void;
    exit(signal: Deno.Signal): void;
  },
): void {
  let stoppingSince: number | null = null;
  for (const signal of signals) {
    Deno.addSignalListener(signal, () => {
      if (stoppingSince === null) {
        stoppingSince = performance.now();
        handlers.stop(signal);
      } else if (performance.now() - stoppingSince >= REPEAT_AFTER_MS) {
        handlers.exit(signal);
      }
    });
  }
}
