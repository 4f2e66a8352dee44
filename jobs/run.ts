/**
 * One job run, as the CLI and the cron schedule start it: works out the
 * sites and the time range, finds the inputs, runs the pass and logs one
 * summary line, at error level when any input or read failed. It also
 * keeps the legends of the pass's colour tables up to date.
 *
 * @module
 */

import { isAbort } from "../core/errors.ts";
import { openSourceBucket } from "../core/source/bucket.ts";
import type { DefaultTableName } from "../core/render/palettes/default_tables.ts";
import type { Store } from "../core/storage/store.ts";
import type { JobRequest } from "./args.ts";
import {
  discoverLevel2,
  discoverLevel2Chunks,
  level2FileInputs,
  type Level2Input,
  type RealtimeMemory,
  runLevel2Pass,
} from "./level2.ts";
import { discoverLevel3, level3FileInputs, runLevel3Pass } from "./level3.ts";
import { level2Tables, level3Tables, publishLegends } from "./legends.ts";
import type { JobLog } from "./log.ts";
import { messageOf, type PassSummary } from "./pass.ts";
import type { Renderer } from "./rendered.ts";
import type { JobSettings } from "./settings.ts";

/** Public buckets of the NEXRAD archive. */
export const LEVEL2_BUCKET = "unidata-nexrad-level2";
export const LEVEL2_CHUNKS_BUCKET = "unidata-nexrad-level2-chunks";
export const LEVEL3_BUCKET = "unidata-nexrad-level3";

/** The shared settings a job reads (a subset of `core/config.ts`'s `Config`). */
export interface JobConfig {
  /** ICAO ids of the Level 2 sites. */
  level2Sites: string[];
  /** 3-letter ids of the Level 3 sites. */
  level3Sites: string[];
  /** How far back from now a pass looks, minutes. */
  processingWindowMinutes: number;
  /** How long lists and objects keep an input, minutes. */
  retentionMinutes: number;
  /** S3-compatible server replacing AWS for the archive buckets. */
  sourceEndpoint?: string;
}

/** What a job run needs. */
export interface JobContext {
  config: JobConfig;
  settings: JobSettings;
  store: Store;
  render: Renderer;
  log: JobLog;
  /** Clock of the run. */
  now?: () => Date;
  /** Real-time volumes that earlier runs of this process finished. */
  realtime?: RealtimeMemory;
  /** Stops the pass between steps when aborted (a shutdown). */
  signal?: AbortSignal;
}

/**
 * Runs one Level 2 or Level 3 pass and logs its summary.
 *
 * @throws The error that stopped the pass, after logging it.
 */
export async function runJob(
  context: JobContext,
  request: JobRequest,
): Promise<PassSummary> {
  const { config, settings, log } = context;
  const started = performance.now();
  const now = (context.now ?? (() => new Date()))();
  const name = `level${request.level}`;
  const sites = request.sites ??
    (request.level === 2 ? config.level2Sites : config.level3Sites);
  const range = request.range ?? {
    start: new Date(now.getTime() - config.processingWindowMinutes * 60_000),
    end: now,
  };
  const live = request.level === 2 && request.range === null;
  const buckets = live ? ` source=${settings.level2Source}` : "";
  // The real-time bucket alone has no time range: its newest volumes count.
  const window = live && settings.level2Source === "chunks"
    ? ""
    : ` range=${range.start.toISOString()}..${range.end.toISOString()}`;
  const scope = request.files.length > 0
    ? `files=${request.files.length}`
    : `sites=${sites.join(",")}${buckets}${window}`;

  try {
    const deps = {
      store: context.store,
      render: context.render,
      log,
      now: context.now,
      signal: context.signal,
    };
    const options = {
      windowMinutes: config.retentionMinutes,
      downloadConcurrency: settings.downloadConcurrency,
      renderConcurrency: settings.workers,
      maxAttempts: settings.maxAttempts,
      resolutionM: settings.resolutionM,
    };
    let summary: PassSummary;
    let left: { errors: number; failed?: number; skipped?: number };
    if (request.level === 2) {
      const found = request.files.length > 0
        ? { inputs: level2FileInputs(request.files), errors: 0 }
        : await discoverLevel2Sources(context, request, sites, range);
      left = found;
      summary = await runLevel2Pass(
        deps,
        { ...options, products: settings.level2Products },
        found.inputs,
      );
    } else {
      const types = settings.level3Types;
      const found = request.files.length > 0
        ? await level3FileInputs(request.files, types, log)
        : await discoverLevel3(
          openSourceBucket(LEVEL3_BUCKET, {
            endpoint: config.sourceEndpoint,
            signal: context.signal,
          }),
          sites,
          types,
          range,
          log,
        );
      left = found;
      summary = await runLevel3Pass(deps, { ...options, types }, found.inputs);
    }
    // Level 3 files left out before the pass count as found and as what
    // they were. (The chunk files of one Level 2 volume are one input.)
    if (request.level === 3 && request.files.length > 0) {
      summary.found = request.files.length;
    }
    summary.errors += left.errors;
    summary.failed += left.failed ?? 0;
    summary.skipped += left.skipped ?? 0;
    const tables = request.level === 2
      ? level2Tables(settings.level2Products)
      : level3Tables(settings.level3Types);
    summary.errors += await updateLegends(context, tables);

    const counts = Object.entries(summary).map(([k, v]) => `${k}=${v}`).join(
      " ",
    );
    const line = `${name} pass ${scope}: ${counts} in ${seconds(started)} s`;
    const failed = summary.failed + summary.errors;
    if (failed === 0) log.info(line);
    else {log.error(
        `${line}; ${failed} ${failed === 1 ? "item" : "items"} failed`,
      );}
    return summary;
  } catch (error) {
    if (context.signal?.aborted && isAbort(error)) {
      log.warn(
        `${name} pass ${scope} stopped after ${seconds(started)} s: ${
          messageOf(context.signal.reason)
        }; the next pass finishes its work`,
      );
    } else {
      log.error(
        `${name} pass ${scope} failed after ${seconds(started)} s: ${
          messageOf(error)
        }`,
      );
    }
    throw error;
  }
}

/**
 * Finds the Level 2 inputs of `L2_SOURCE`: archive volumes in the window,
 * then the newest volumes of the real-time bucket. A replay of a past
 * range reads the archive alone, as the real-time bucket keeps a day.
 */
async function discoverLevel2Sources(
  { config, settings, log, realtime, signal }: JobContext,
  request: JobRequest,
  sites: readonly string[],
  range: { start: Date; end: Date },
): Promise<{ inputs: Level2Input[]; errors: number }> {
  const source = settings.level2Source;
  const endpoint = config.sourceEndpoint;
  const found = { inputs: [] as Level2Input[], errors: 0 };
  const add = (more: { inputs: Level2Input[]; errors: number }) => {
    found.inputs.push(...more.inputs);
    found.errors += more.errors;
  };
  if (source !== "chunks" || request.range !== null) {
    add(
      await discoverLevel2(
        openSourceBucket(LEVEL2_BUCKET, { endpoint, signal }),
        sites,
        range.start,
        range.end,
        log,
      ),
    );
  }
  if (source !== "archive" && request.range === null) {
    add(
      await discoverLevel2Chunks(
        openSourceBucket(LEVEL2_CHUNKS_BUCKET, { endpoint, signal }),
        sites,
        log,
        range.end,
        realtime,
      ),
    );
  }
  return found;
}

/**
 * Writes the legends of `tables` when missing or changed.
 *
 * @returns 1 when they could not be written (logged), else 0.
 */
async function updateLegends(
  { store, log }: JobContext,
  tables: readonly DefaultTableName[],
): Promise<number> {
  try {
    const written = await publishLegends(store, tables);
    if (written.length > 0) log.progress(`legends: wrote ${written.join(" ")}`);
    return 0;
  } catch (error) {
    log.error(`legends: ${messageOf(error)}`);
    return 1;
  }
}

function seconds(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(1);
}
