/**
 * Entry point of `deno task start`: reads the settings, opens the store and
 * serves the API on `API_HOST:API_PORT`. SIGINT or SIGTERM stops it: the
 * open requests get their responses and a running pass stops (see
 * `stopJobs`), then it exits with status 0, or 1 when that takes over
 * 30 s.
 *
 * @module
 */

import { createApp } from "./api/app.ts";
import { ConfigError, describeConfig, loadConfig } from "./core/config.ts";
import { createConsoleLogger } from "./core/logger.ts";
import { unknownSitesWarning } from "./core/source/sites.ts";
import { createStore } from "./core/storage/from_config.ts";
import type { S3Store } from "./core/storage/s3_store.ts";
import { stopJobs } from "./jobs/mod.ts";
import { type JobSettings, loadJobSettings } from "./jobs/settings.ts";
import { onStopSignals } from "./jobs/signals.ts";

let config;
let settings: JobSettings;
try {
  const env = Deno.env.toObject();
  config = loadConfig(env);
  // jobs/mod.ts reads these too, but leaves reporting them to this file.
  settings = loadJobSettings(env);
} catch (error) {
  // loadJobSettings() reports an invalid setting by a TypeError.
  if (!(error instanceof ConfigError || error instanceof TypeError)) {
    throw error;
  }
  // deno-lint-ignore no-console -- no logger exists before the settings.
  console.error(error.message);
  Deno.exit(1);
}

const logger = createConsoleLogger(config.logLevel);
logger.info(
  `Starting with ${describeConfig(config)} ` +
    `level2Source=${settings.level2Source} ` +
    `level2Products=${settings.level2Products.join(",")}`,
);
for (
  const warning of [
    unknownSitesWarning("RADAR_SITE_L2", config.level2Sites),
    unknownSitesWarning("RADAR_SITE_L3", config.level3Sites),
  ]
) {
  if (warning !== null) logger.warn(warning);
}
const store = await createStore(config);

if (config.store === "s3") {
  // Tells the operator at start-up whether list updates are safe across
  // processes on this server (see core/storage/s3_store.ts).
  (store as S3Store).probeConditionalWrites().then(
    (supported) => {
      if (!supported) {
        logger.warn(
          "The S3 server ignores If-Match on PutObject: list and flag " +
            "updates are serialised within this process only",
        );
      }
    },
    (error) => logger.error("Cannot probe conditional writes on S3", error),
  );
}

/** How long a shutdown waits for requests and a pass before it exits. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

let server: Deno.HttpServer;
try {
  server = Deno.serve(
    {
      hostname: config.apiHost,
      port: config.apiPort,
      onListen: ({ hostname, port }) =>
        logger.info(`Listening on http://${hostname}:${port}/`),
    },
    createApp({ store, config, logger }).fetch,
  );
} catch (error) {
  // Deno.serve() binds at once, so a port in use (AddrInUse), an address
  // of no local interface (AddrNotAvailable) or a failed name lookup is
  // thrown here.
  logger.error(
    `Cannot listen on API_HOST=${config.apiHost} API_PORT=` +
      `${config.apiPort}: ${(error as Error).message}; choose a free port ` +
      "and an address of this machine",
  );
  Deno.exit(1);
}

/** Stops serving and the jobs, then exits. */
async function shutDown(signal: Deno.Signal): Promise<void> {
  logger.info(
    `${signal}: stopping after the open requests and the running pass's ` +
      `current step (at most ${SHUTDOWN_TIMEOUT_MS / 1000} s)`,
  );
  const timer = setTimeout(() => {
    logger.warn(
      `Not stopped after ${SHUTDOWN_TIMEOUT_MS / 1000} s: exiting anyway`,
    );
    Deno.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  await Promise.all([server.shutdown(), stopJobs(`${signal} received`)]);
  clearTimeout(timer);
  logger.info("Stopped");
  Deno.exit(0);
}

// Deno listens for SIGINT and SIGBREAK only on Windows.
onStopSignals(
  Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"],
  {
    stop: (signal) => void shutDown(signal),
    exit: (signal) => {
      logger.warn(`${signal} again: exiting without waiting`);
      Deno.exit(1);
    },
  },
);
