/**
 * Pipeline sections of the benchmark: whole Level 2 volumes of the corpus
 * from file to stored images, measured in child processes
 * (`bench/pipeline_run.ts`) so that each peak memory figure is the
 * process's own.
 *
 * - "Level 2 pass": one pass over every whole volume, 2 render workers,
 *   reflectivity and velocity, stored to a temporary filesystem store.
 * - "Original's work": per volume, what the replaced Python service did
 *   (reflectivity of every sweep, decode + render + store), against the
 *   figures it was measured at on the same machine type.
 *
 * @module
 */

import { type BenchTable, round } from "./table.ts";

const SHARED = new URL("../../shared/", import.meta.url);
const LEVEL2 = new URL("data/nexrad/level2/", SHARED);
const ORIGINAL = new URL("reference/original-performance.md", SHARED);
const CHILD = new URL("./pipeline_run.ts", import.meta.url).pathname;
/** Runs per volume of the original's work; the median is reported. */
const ORIGINAL_RUNS = 5;

interface ChildReport {
  volumes: { name: string; seconds: number }[];
  failed: number;
  /** One line per failed volume. */
  errors: string[];
  wallSeconds: number;
  /** CPU time of the child, all threads. */
  cpuSeconds: number;
  peakMb: number;
}

/** Runs the child program; returns its report and the wall time seen from outside. */
async function runChild(
  args: string[],
  env: Record<string, string> = {},
): Promise<ChildReport & { outsideSeconds: number }> {
  const start = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const outsideSeconds = (performance.now() - start) / 1000;
  const text = new TextDecoder().decode(output.stdout).trim();
  if (!output.success) {
    throw new Error(
      `Benchmark child failed: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return { ...JSON.parse(text.split("\n").at(-1)!), outsideSeconds };
}

function wholeVolumes(): string[] {
  return [...Deno.readDirSync(LEVEL2)]
    .filter((entry) => entry.isFile)
    .map((entry) => new URL(entry.name, LEVEL2).pathname)
    .sort();
}

/** Measures one Level 2 pass over the corpus volumes with 2 workers. */
export async function benchPipelinePass(): Promise<BenchTable> {
  const files = wholeVolumes();
  const report = await runChild(["pass", ...files], { JOB_WORKERS: "2" });
  const rows: (string | number)[][] = report.volumes.map((volume) => [
    volume.name,
    round(volume.seconds, 2),
  ]);
  const perVolume = report.volumes.reduce((sum, v) => sum + v.seconds, 0) /
    Math.max(1, report.volumes.length);
  return {
    title: "Level 2 pass: corpus volumes to stored images (2 workers)",
    columns: ["volume", "seconds"],
    rows,
    notes: [
      `${report.volumes.length} of ${files.length} volumes published, ` +
      `${report.failed} failed; reflectivity and velocity, one image per ` +
      "elevation, stored to a temporary filesystem store.",
      `mean ${round(perVolume, 2)} s per volume in a worker (decode + ` +
      "render), wall " +
      `${round(report.wallSeconds, 1)} s (CPU ${
        round(report.cpuSeconds, 1)
      } s) for the pass: ` +
      `${round(report.volumes.length / report.wallSeconds, 2)} volumes/s ` +
      "on 2 workers.",
      `peak resident memory of the process (VmHWM): ${
        round(report.peakMb)
      } MB.`,
      ...report.errors.map((line) => `failed: ${line}`),
    ],
  };
}

/** Measures the replaced service's work per volume against its figures. */
export async function benchOriginalWork(): Promise<BenchTable> {
  const original = await readOriginalFigures();
  const rows: (string | number)[][] = [];
  let speedups: number[] = [];
  const failures: string[] = [];
  for (const [name, figures] of original) {
    const path = new URL(name, LEVEL2).pathname;
    try {
      await Deno.stat(path);
    } catch {
      continue; // a chunk set or a file of the held-back corpus
    }
    const reports = [];
    for (let run = 0; run < ORIGINAL_RUNS; run++) {
      reports.push(await runChild(["original", path]));
    }
    const failed = reports.find((report) => report.failed > 0);
    if (failed !== undefined) {
      failures.push(...failed.errors);
      continue;
    }
    const seconds = median(reports.map((report) => report.outsideSeconds));
    speedups.push(figures.wallSeconds / seconds);
    rows.push([
      name,
      figures.sweeps,
      round(seconds, 2),
      round(median(reports.map((report) => report.cpuSeconds)), 2),
      figures.wallSeconds,
      round(figures.wallSeconds / seconds, 1),
      round(median(reports.map((report) => report.peakMb))),
      figures.peakMb,
    ]);
  }
  speedups = speedups.sort((a, b) => a - b);
  return {
    title:
      "Original's work: reflectivity of every sweep, one process per volume",
    columns: [
      "volume",
      "sweeps",
      "ours s",
      "ours CPU s",
      "original s",
      "speed-up",
      "ours MB",
      "original MB",
    ],
    rows,
    notes: [
      `ours: median of ${ORIGINAL_RUNS} runs of a \`deno run\` child that ` +
      "decodes the file, renders " +
      "reflectivity of every sweep at the default resolution and stores the " +
      "PNG and JSON to a temporary folder: wall time, process start " +
      "included; MB is its peak resident memory (VmHWM); CPU s is its " +
      "user + system time, which other load on the machine does not " +
      "inflate.",
      "original: Py-ART + Matplotlib figures measured once on the same " +
      "machine type (2 cores), from reference/original-performance.md; not " +
      "re-run here.",
      `speed-up: original s / ours s; median ${
        round(speedups[Math.floor(speedups.length / 2)] ?? NaN, 1)
      }, lowest ${round(speedups[0] ?? NaN, 1)} (target 30 or more).`,
      ...failures.map((line) => `not measured, failed: ${line}`),
    ],
  };
}

interface OriginalFigures {
  sweeps: number;
  wallSeconds: number;
  peakMb: number;
}

/** Reads the Level 2 table of the original's measurements. */
async function readOriginalFigures(): Promise<Map<string, OriginalFigures>> {
  const text = await Deno.readTextFile(ORIGINAL);
  const figures = new Map<string, OriginalFigures>();
  for (const line of text.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    // | File | Size | Sweeps | Read (s) | Per sweep (s) | Wall (s) | Peak (MB) |
    if (cells.length !== 9 || !/^\d+$/.test(cells[2])) continue;
    figures.set(cells[1], {
      sweeps: Number(cells[3]),
      wallSeconds: Number(cells[6]),
      peakMb: Number(cells[7]),
    });
  }
  return figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
