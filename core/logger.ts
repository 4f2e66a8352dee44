/**
 * The logger that entry points (`main.ts`, the job runner) create and hand
 * to `api/` and `jobs/`. Modules under `core/` never log; they return
 * warnings or throw.
 *
 * @module
 */

/** Severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Sink of the log lines of the API and the jobs. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Returns whether `value` names a log level. */
export function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(RANK, value);
}

/**
 * Creates a logger that writes lines at `minLevel` and above to the
 * console, each prefixed with the ISO time and the level.
 */
export function createConsoleLogger(minLevel: LogLevel = "info"): Logger {
  const enabled = (level: LogLevel) => RANK[level] >= RANK[minLevel];
  const line = (level: LogLevel, message: string) =>
    `${new Date().toISOString()} ${level.toUpperCase()} ${message}`;

  // deno-lint-ignore no-console -- this is the one place that prints.
  const { debug, info, warn, error } = console;
  return {
    debug: (message) => enabled("debug") && debug(line("debug", message)),
    info: (message) => enabled("info") && info(line("info", message)),
    warn: (message) => enabled("warn") && warn(line("warn", message)),
    error: (message, cause) => {
      if (!enabled("error")) return;
      if (cause === undefined) error(line("error", message));
      else error(line("error", message), cause);
    },
  };
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
