/**
 * Child process of the pipeline benchmark (`bench/pipeline.ts`), run once
 * per measurement so that its peak memory is its own:
 *
 * - `pass FILE...`: one Level 2 pass over local files into a temporary
 *   filesystem store, decoding and rendering in `JOB_WORKERS` workers;
 * - `original FILE`: the work of the replaced service for one volume (a
 *   file, or the folder of a chunk set, whose chunks are joined):
 *   decode, render reflectivity of every sweep, store, with `JOB_WORKERS`
 *   render workers as `deno task l2 --file` runs it (a lone volume is
 *   spread over them);
 * - `original-pass FILE...`: the same work for many volumes in one
 *   process, as a pass runs them: the workers draw one volume each while
 *   the next one waits.
 *
 * It prints one JSON line: seconds per volume, wall and CPU seconds and
 * the peak resident memory (VmHWM) of the process.
 *
 * @module
 */

import { parseLevel2Name } from "../core/source/level2_keys.ts";
import { FsStore } from "../core/storage/fs_store.ts";
import type { JobLog } from "../jobs/log.ts";
import { level2FileInputs, runLevel2Pass } from "../jobs/level2.ts";
import { freeBuffers } from "../jobs/buffers.ts";
import { storeImages } from "../jobs/publish.ts";
import { createRenderPool, type RenderPool } from "../jobs/render_pool.ts";

const [mode, ...files] = Deno.args;
const root = await Deno.makeTempDir({ prefix: "bench_pipeline_" });
const store = new FsStore(root);
const started = performance.now();
const volumes: { name: string; seconds: number }[] = [];
let failed = 0;
const errors: string[] = [];

try {
  if (mode === "pass") {
    const workers = Number(Deno.env.get("JOB_WORKERS") ?? "2");
    const pool = createRenderPool(workers);
    const log: JobLog = {
      info() {},
      progress(message) {
        const match = / (\S+): .*, rendered in ([\d.]+) s/.exec(message);
        if (match) volumes.push({ name: match[1], seconds: Number(match[2]) });
      },
      warn() {},
      error(message) {
        failed++;
        errors.push(message);
      },
    };
    try {
      await runLevel2Pass({ store, render: pool.render, log }, {
        products: ["reflectivity", "velocity"],
        windowMinutes: 100 * 365 * 24 * 60,
        downloadConcurrency: 2,
        renderConcurrency: workers,
        maxAttempts: 1,
      }, level2FileInputs(files));
    } finally {
      pool.close();
    }
  } else {
    const workers = Number(Deno.env.get("JOB_WORKERS") ?? "2");
    const pool = createRenderPool(workers);
    // One volume at a time, or, as a pass runs them, one volume more than
    // the workers, so each worker has the next volume at hand.
    const queue = [...files];
    const lanes = mode === "original-pass" ? workers + 1 : 1;
    const lane = async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        await doOriginalWork(pool, file);
      }
    };
    try {
      await Promise.all(Array.from({ length: lanes }, lane));
    } finally {
      pool.close();
    }
  }
} finally {
  await Deno.remove(root, { recursive: true });
}

/** Reads a volume file, or joins the chunks of a chunk set's folder. */
async function readVolume(path: string): Promise<Uint8Array> {
  if (!(await Deno.stat(path)).isDirectory) return await Deno.readFile(path);
  const chunks = [...Deno.readDirSync(path)].map((entry) =>
    `${path}/${entry.name}`
  );
  const inputs = level2FileInputs(chunks);
  if (inputs.length !== 1) {
    throw new Error(
      `Invalid chunk set ${path}: expected one volume, found ${inputs.length}`,
    );
  }
  return await inputs[0].read();
}

/** Decodes `file`, renders reflectivity of every sweep and stores it. */
async function doOriginalWork(pool: RenderPool, file: string): Promise<void> {
  const name = file.split("/").pop()!;
  const start = performance.now();
  try {
    const rendered = await pool.render({
      kind: "level2",
      bytes: await readVolume(file),
      source: file,
      products: ["reflectivity"],
      everySweep: true,
    });
    const prefix = parseLevel2Name(name)?.prefix ?? "KXXX20000101_000000_V00";
    await storeImages(
      store,
      prefix,
      "reflectivity",
      rendered.products.reflectivity!,
    );
    // Free the images once stored, as a pass does.
    freeBuffers(rendered.products.reflectivity!.map((image) => image.png));
    volumes.push({ name, seconds: (performance.now() - start) / 1000 });
  } catch (error) {
    failed++;
    errors.push(`${name}: ${(error as Error).message}`);
  }
}

const status = await Deno.readTextFile("/proc/self/status");
if (Deno.env.get("MEMLOG")) {
  console.error(
    status.split("\n").filter((l) => /^(Vm|Rss)/.test(l)).join(" "),
  );
}
const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
// utime and stime, fields 14 and 15 of /proc/self/stat, in clock ticks of
// 1/100 s (USER_HZ on Linux), counting every thread: workers included.
const stat = (await Deno.readTextFile("/proc/self/stat")).split(") ")[1]
  .split(" ");
const cpuSeconds = (Number(stat[11]) + Number(stat[12])) / 100;
console.log(JSON.stringify({
  volumes,
  failed,
  errors,
  wallSeconds: (performance.now() - started) / 1000,
  cpuSeconds,
  peakMb: peakKb / 1024,
}));
