/**
 * Pipeline sections of the benchmark: whole Level 2 volumes of the corpus
 * from file to stored images, measured in child processes
 * (`bench/pipeline_run.ts`) so that each peak memory figure is the
 * process's own.
 *
 * - "Level 2 pass": one pass over every whole volume, 2 render workers,
 *   reflectivity and velocity, stored to a temporary filesystem store.
 * - "Original's work": what the replaced Python service did (reflectivity
 *   of every sweep, decode + render + store). It runs per volume in a
 *   process of its own, then for all of them in one pass, against the
 *   figures the original was measured at on the same machine type.
 *
 * @module
 */

import { bzip2Streams } from "./level2.ts";
import { findBzip2, nativeMs } from "./native_bzip2.ts";
import { type BenchTable, round } from "./table.ts";

const SHARED = new URL("../../shared/", import.meta.url);
const LEVEL2 = new URL("data/nexrad/level2/", SHARED);
const ORIGINAL = new URL("reference/original-performance.md", SHARED);
const CHILD = new URL("./pipeline_run.ts", import.meta.url).pathname;
/** Runs per volume of the original's work; the median is reported. */
const ORIGINAL_RUNS = 5;
/** Runs of `bzip2 -d` that measure the machine; the fastest is kept. */
const SCALE_RUNS = 5;

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

/** Lists the chunk files of each chunk set of the corpus, a set per item. */
function chunkSets(): string[][] {
  const folder = new URL("chunks/", LEVEL2);
  return [...Deno.readDirSync(folder)].map((set) => set.name).sort().map(
    (set) =>
      [...Deno.readDirSync(new URL(`${set}/`, folder))]
        .map((chunk) => new URL(`${set}/${chunk.name}`, folder).pathname)
        .sort(),
  );
}

/** Measures one Level 2 pass over the corpus volumes with 2 workers. */
export async function benchPipelinePass(): Promise<BenchTable> {
  const sets = chunkSets();
  const files = [...wholeVolumes(), ...sets.flat()];
  const count = files.length - sets.flat().length + sets.length;
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
      `${report.volumes.length} of ${count} volumes (chunk sets included) ` +
      "published, " +
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
  const text = await Deno.readTextFile(ORIGINAL);
  const original = readOriginalFigures(text);
  const scale = await measureMachineScale(text);
  const factor = scale?.factor ?? NaN;
  const rows: (string | number)[][] = [];
  let speedups: number[] = [];
  let scaled: number[] = [];
  const failures: string[] = [];
  const paths: string[] = [];
  const passFigures: OriginalFigures[] = [];
  for (const [name, figures] of original) {
    // A chunk set is a folder, which the child joins as `--file` does.
    const path = new URL(name.replace(/ \(all chunks\)$/, ""), LEVEL2)
      .pathname;
    try {
      await Deno.stat(path);
    } catch {
      continue; // a file of the held-back corpus
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
    scaled.push(figures.wallSeconds * factor / seconds);
    paths.push(path);
    passFigures.push(figures);
    rows.push([
      name,
      figures.sweeps,
      round(seconds, 2),
      round(median(reports.map((report) => report.cpuSeconds)), 2),
      figures.wallSeconds,
      round(figures.wallSeconds / seconds, 1),
      round(figures.wallSeconds * factor / seconds, 1),
      round(median(reports.map((report) => report.peakMb))),
      figures.peakMb,
    ]);
  }
  const pass = await originalWorkPass(paths);
  if (pass !== null) {
    const mean = (values: number[]) =>
      values.reduce((sum, value) => sum + value, 0) / values.length;
    const originalSeconds = mean(
      passFigures.map((figures) => figures.wallSeconds),
    );
    rows.push([
      `all ${paths.length} in one pass, per volume`,
      passFigures.reduce((sum, figures) => sum + figures.sweeps, 0),
      round(pass.wallSeconds / paths.length, 2),
      round(pass.cpuSeconds / paths.length, 2),
      round(originalSeconds, 1),
      round(originalSeconds * paths.length / pass.wallSeconds, 1),
      round(originalSeconds * factor * paths.length / pass.wallSeconds, 1),
      round(pass.peakMb),
      Math.max(...passFigures.map((figures) => figures.peakMb)),
    ]);
  }
  speedups = speedups.sort((a, b) => a - b);
  scaled = scaled.sort((a, b) => a - b);
  return {
    title:
      "Original's work: reflectivity of every sweep, per process and in one pass",
    columns: [
      "volume",
      "sweeps",
      "ours s",
      "ours CPU s",
      "original s",
      "speed-up",
      "scaled",
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
      `speed-up: original s / ours s; per process, median ${
        round(speedups[Math.floor(speedups.length / 2)] ?? NaN, 1)
      }, lowest ${round(speedups[0] ?? NaN, 1)}. The target, 30 or more ` +
      "and under 250 MB, is judged on the pass row: the work as the jobs " +
      "do it. Per process, each volume also pays for Deno's start and the " +
      "workers' start.",
      scale === null
        ? "scaled: not measured (no bzip2 here, or no reference time in " +
          "original-performance.md)."
        : `scaled: the speed-up with the original's time multiplied by ` +
          `${round(factor, 2)}, this machine's \`bzip2 -d\` time on ` +
          `${scale.volume}'s records (${round(scale.hereSeconds, 3)} s, ` +
          `fastest of ${SCALE_RUNS}) over the ${scale.referenceSeconds} s ` +
          "original-performance.md gives for the machine the original ran " +
          "on. An estimate: it assumes Python and Matplotlib slow down as " +
          `bzip2 does. Median ${
            round(scaled[Math.floor(scaled.length / 2)] ?? NaN, 1)
          }, lowest ${round(scaled[0] ?? NaN, 1)}.`,
      `one pass: the volumes above, processed by one child as a pass ` +
      "does (a volume waits while the workers draw others); median of " +
      `${ORIGINAL_RUNS} runs. Per volume: its wall and CPU time over the ` +
      "volume count, against the mean of the original's times; MB is the " +
      "highest peak of the whole pass over the runs.",
      ...failures.map((line) => `not measured, failed: ${line}`),
    ],
  };
}

/**
 * Runs the original's work over `paths` in one child, as a pass does.
 * Returns the median wall and CPU time of the runs and the highest peak
 * memory, or null without paths or when a volume failed.
 */
async function originalWorkPass(
  paths: string[],
): Promise<{ wallSeconds: number; cpuSeconds: number; peakMb: number } | null> {
  if (paths.length === 0) return null;
  const reports = [];
  for (let run = 0; run < ORIGINAL_RUNS; run++) {
    const report = await runChild(["original-pass", ...paths]);
    if (report.failed > 0) return null;
    reports.push(report);
  }
  return {
    wallSeconds: median(reports.map((report) => report.wallSeconds)),
    cpuSeconds: median(reports.map((report) => report.cpuSeconds)),
    peakMb: Math.max(...reports.map((report) => report.peakMb)),
  };
}

interface OriginalFigures {
  sweeps: number;
  wallSeconds: number;
  peakMb: number;
}

/** Reads the Level 2 table of the original's measurements. */
function readOriginalFigures(text: string): Map<string, OriginalFigures> {
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

/** How much slower this machine is than the one the original ran on. */
interface MachineScale {
  /** The volume whose records both machines decompressed. */
  volume: string;
  referenceSeconds: number;
  hereSeconds: number;
  /** hereSeconds / referenceSeconds: above 1 on a slower machine. */
  factor: number;
}

/**
 * Times `bzip2 -d` here on the records of the volume that the original's
 * measurements (`text`) give a native bzip2 time for, taken on the
 * original's machine. Returns null without bzip2 or that time.
 */
async function measureMachineScale(
  text: string,
): Promise<MachineScale | null> {
  const match = /decompresses (\w+)'s \d+ records \([^)]*\) in about ([\d.]+) s/
    .exec(text.replace(/\s+/g, " "));
  const bzip2 = await findBzip2();
  if (match === null || bzip2 === null) return null;
  const [_, volume, reference] = match;
  const stored = await Deno.readFile(new URL(volume, LEVEL2));
  const milliseconds = await nativeMs(
    bzip2,
    await bzip2Streams(stored),
    SCALE_RUNS,
  );
  const referenceSeconds = Number(reference);
  return {
    volume,
    referenceSeconds,
    hereSeconds: milliseconds / 1000,
    factor: milliseconds / 1000 / referenceSeconds,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
