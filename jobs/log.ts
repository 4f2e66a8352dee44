/**
 * Where the jobs write their log lines (STYLE rule L): one info line per
 * job run, per-item progress (printed by the CLI, debug level under cron),
 * warnings for recoverable data problems with site, key, message type and
 * byte offset, and errors for failed items and runs.
 *
 * @module
 */

import type { DecodeWarning } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { PassInput } from "./pass.ts";

/** The log sink of a job run; tests pass one that records lines. */
export interface JobLog {
  info(message: string): void;
  progress(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Adapts the shared logger: progress lines are info in the CLI (`verbose`)
 * and debug under the cron schedule.
 */
export function jobLog(logger: Logger, options: { verbose: boolean }): JobLog {
  return {
    info: (message) => logger.info(message),
    progress: (message) =>
      options.verbose ? logger.info(message) : logger.debug(message),
    warn: (message) => logger.warn(message),
    error: (message) => logger.error(message),
  };
}

/** Warnings logged per input; the rest are counted in one line. */
const MAX_WARNINGS_PER_INPUT = 10;

/**
 * Logs the decoder's warnings of one input, at most 10 and a count. Those
 * that `expected` picks are progress lines instead of warnings.
 */
export function logDecodeWarnings(
  log: JobLog,
  siteId: string,
  input: Pick<PassInput, "source" | "locate">,
  warnings: readonly DecodeWarning[],
  expected: (warning: DecodeWarning) => boolean = () => false,
): void {
  const key = input.source;
  for (const warning of warnings.slice(0, MAX_WARNINGS_PER_INPUT)) {
    const type = warning.messageType === undefined
      ? "unknown"
      : String(warning.messageType);
    (expected(warning) ? log.progress : log.warn)(
      `site=${siteId} key=${key} messageType=${type} offset=${
        offsetText(input, warning.offset)
      }: ${warning.message}`,
    );
  }
  const more = warnings.length - MAX_WARNINGS_PER_INPUT;
  if (more > 0) {
    log.warn(
      `site=${siteId} key=${key}: ${more} more decoder warnings not shown`,
    );
  }
}

/** Formats a byte offset of an input, with the file that contains it when joined. */
export function offsetText(
  input: Pick<PassInput, "locate">,
  offset: number,
): string {
  return input.locate === undefined
    ? String(offset)
    : `${offset} (${input.locate(offset)})`;
}
