/**
 * Entry point of `deno task l2` and `deno task l3`: runs one pass and
 * prints its progress and summary. It exits with status 1 when any input
 * failed (to read, decode, render or store) and 2 for invalid arguments.
 * Ctrl-C (SIGINT) stops the pass: listings, downloads and waiting renders
 * are dropped, the renders and writes under way end, and it exits with
 * status 130. A second Ctrl-C exits at once. See {@linkcode USAGE} for the
 * options.
 *
 * @module
 */

import { ConfigError, loadConfig } from "../core/config.ts";
import { createConsoleLogger } from "../core/logger.ts";
import { unknownSitesWarning } from "../core/source/sites.ts";
import { createStore } from "../core/storage/from_config.ts";
import { expandFilePaths, parseJobArgs, USAGE } from "./args.ts";
import { jobLog } from "./log.ts";
import { createRenderPool } from "./render_pool.ts";
import { runJob } from "./run.ts";
import { loadJobSettings } from "./settings.ts";
import { onStopSignals } from "./signals.ts";

// Only before "--": what follows it are file names.
const end = Deno.args.indexOf("--");
if (Deno.args.slice(0, end < 0 ? undefined : end).includes("--help")) {
  // deno-lint-ignore no-console -- help text of a command-line program.
  console.log(USAGE);
  Deno.exit(0);
}

let setup;
// Whether the error came from the command line, which the usage explains,
// or from a setting in the environment.
let parsingArgs = false;
try {
  const env = Deno.env.toObject();
  const config = loadConfig(env);
  const settings = loadJobSettings(env);
  parsingArgs = true;
  const request = parseJobArgs(Deno.args, config.processingWindowMinutes);
  setup = { config, settings, request };
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof TypeError)) {
    throw error;
  }
  // deno-lint-ignore no-console -- no logger exists before the settings.
  console.error(parsingArgs ? `${error.message}\n\n${USAGE}` : error.message);
  Deno.exit(2);
}

const { config, settings, request } = setup;
request.files = await expandFilePaths(request.files);
const logger = createConsoleLogger(config.logLevel);
if (request.files.length === 0) {
  const warning = request.sites !== null
    ? unknownSitesWarning("--site", request.sites)
    : request.level === 2
    ? unknownSitesWarning("RADAR_SITE_L2", config.level2Sites)
    : unknownSitesWarning("RADAR_SITE_L3", config.level3Sites);
  if (warning !== null) logger.warn(warning);
}
const pool = createRenderPool(settings.workers);
const interrupt = new AbortController();
onStopSignals(["SIGINT"], {
  stop: () => {
    logger.warn("SIGINT: stopping after the current steps; again to exit now");
    interrupt.abort(new DOMException("SIGINT received", "AbortError"));
  },
  exit: () => {
    logger.warn("SIGINT again: exiting without waiting");
    Deno.exit(130);
  },
});
try {
  const summary = await runJob({
    config,
    settings,
    store: await createStore(config),
    render: pool.render,
    log: jobLog(logger, { verbose: true }),
    signal: interrupt.signal,
  }, request);
  // The summary line counts the failures; scripts read the status.
  if (summary.failed + summary.errors > 0) Deno.exitCode = 1;
} catch {
  // runJob() has logged the error.
  Deno.exitCode = interrupt.signal.aborted ? 130 : 1;
} finally {
  pool.close();
}
