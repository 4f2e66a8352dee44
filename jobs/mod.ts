/**
 * The scheduled jobs of `deno task start`: a Level 2 pass on `L2_CRON` and
 * a Level 3 pass on `L3_CRON` (every 5 minutes by default, "off" to turn
 * one off). `Deno.cron` must be called at a module's top level before the
 * server starts, so `main.ts` imports this module for its effect.
 *
 * When a run is still busy at the time of its next one, that next run is
 * skipped, so runs of one job never overlap in this process. Runs in other
 * processes (a manual `deno task l2`) are safe because the store's writes
 * of shared objects are conditional. The render workers exist only while a
 * run lasts. {@linkcode stopJobs} stops the runs for a shutdown.
 *
 * @module
 */

import { loadConfig } from "../core/config.ts";
import { createConsoleLogger } from "../core/logger.ts";
import { createStore } from "../core/storage/from_config.ts";
import { jobLog } from "./log.ts";
import { createRenderPool } from "./render_pool.ts";
import { type JobContext, runJob } from "./run.ts";
import { loadJobSettings } from "./settings.ts";

/** Builds what the scheduled runs share; null when the settings are invalid. */
async function createSchedule(): Promise<
  | Omit<JobContext, "render"> & {
    level2Cron: string | null;
    level3Cron: string | null;
  }
  | null
> {
  const env = Deno.env.toObject();
  let config;
  try {
    config = loadConfig(env);
  } catch {
    return null; // main.ts reports invalid settings and exits.
  }
  let settings;
  try {
    settings = loadJobSettings(env);
  } catch {
    return null; // main.ts reports invalid settings and exits.
  }
  const logger = createConsoleLogger(config.logLevel);
  try {
    return {
      config,
      settings,
      store: await createStore(config),
      log: jobLog(logger, { verbose: false }),
      realtime: new Map(),
      level2Cron: config.level2Cron,
      level3Cron: config.level3Cron,
    };
  } catch (error) {
    logger.error(`Jobs not scheduled: ${(error as Error).message}`);
    return null;
  }
}

const schedule = await createSchedule();
const running = new Set<2 | 3>();
/** Runs under way, which a shutdown waits for. */
const runs = new Set<Promise<void>>();
/** Aborted by a shutdown: runs stop between steps, and none starts. */
const stopping = new AbortController();

/**
 * Stops the scheduled jobs: a run under way drops its listings, downloads
 * and the renders still waiting for a worker, lets the renders and writes
 * under way end and stops there. Resolves once no run is left.
 */
export async function stopJobs(reason: string): Promise<void> {
  stopping.abort(new DOMException(reason, "AbortError"));
  await Promise.allSettled([...runs]);
}

function runScheduled(level: 2 | 3): Promise<void> {
  const run = runOnce(level);
  runs.add(run);
  return run.finally(() => runs.delete(run));
}

async function runOnce(level: 2 | 3): Promise<void> {
  if (schedule === null || stopping.signal.aborted) return;
  if (running.has(level)) {
    schedule.log.warn(
      `level${level} pass skipped: the previous run is still busy`,
    );
    return;
  }
  running.add(level);
  const pool = createRenderPool(schedule.settings.workers);
  try {
    const request = { level, sites: null, range: null, files: [] };
    await runJob(
      { ...schedule, render: pool.render, signal: stopping.signal },
      request,
    );
  } catch {
    // runJob() has logged the error; the next run tries again.
  } finally {
    pool.close();
    running.delete(level);
  }
}

if (schedule !== null && typeof Deno.cron !== "function") {
  // `deno task start` passes the flag; a bare `deno run main.ts` does not.
  schedule.log.error(
    "Jobs not scheduled: Deno.cron is unavailable, run with --unstable-cron",
  );
} else if (schedule !== null) {
  if (schedule.level2Cron) {
    Deno.cron("nexrad-level2", schedule.level2Cron, () => runScheduled(2));
  }
  if (schedule.level3Cron) {
    Deno.cron("nexrad-level3", schedule.level3Cron, () => runScheduled(3));
  }
}
