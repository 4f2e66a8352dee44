/**
 * bzip2 section of the benchmark: for each whole Level 2 volume of the
 * corpus whose LDM records are bzip2 streams, times our decompression of
 * all its records against Debian's `bzip2 -d` on the same bytes.
 *
 * @module
 */

import { decompressBzip2 } from "../core/bzip2.ts";
import { gunzip, joinParts } from "../core/level2/wrappers.ts";
import {
  concat,
  EMPTY_STREAM,
  fastestRun,
  findBzip2,
  isBzip2,
  runBzip2,
} from "./native_bzip2.ts";
import { type BenchTable, round } from "./table.ts";

const LEVEL2 = new URL("../../shared/data/nexrad/level2/", import.meta.url);
const VOLUME_HEADER_BYTES = 24;
/** Timed runs per volume: the fastest wall-clock run and the mean CPU time are reported. */
const RUNS = 5;

interface Volume {
  name: string;
  records: Uint8Array[];
}

/** Times our decoder and `bzip2 -d` on every volume with bzip2 records. */
export async function benchBzip2(): Promise<BenchTable> {
  const volumes = await readVolumes();
  const bzip2 = await findBzip2();
  const startCost = bzip2 === null ? 0 : await timeProcessStart(bzip2);
  const rows: (string | number)[][] = [];
  let oursTotal = 0;
  let nativeTotal = 0;
  let oursCpuTotal = 0;
  let nativeCpuTotal = 0;

  for (const volume of volumes) {
    const compressed = volume.records.reduce((n, r) => n + r.length, 0);
    let output = 0;
    for (const record of volume.records) {
      output += decompressBzip2(record, { source: volume.name }).length;
    }
    const timing = await timeVolume(volume, bzip2);
    const native = timing.native - startCost;
    oursTotal += timing.ours;
    nativeTotal += native;
    oursCpuTotal += timing.oursCpu;
    nativeCpuTotal += timing.nativeCpu;
    rows.push([
      volume.name,
      volume.records.length,
      round(compressed / 1e6, 2),
      round(output / 1e6, 1),
      round(timing.ours),
      round(native),
      round(timing.ours / native, 2),
      round(timing.oursCpu),
      round(timing.nativeCpu),
      round(timing.oursCpu / timing.nativeCpu, 2),
    ]);
  }
  rows.push([
    "all volumes",
    "",
    "",
    "",
    round(oursTotal),
    round(nativeTotal),
    round(oursTotal / nativeTotal, 2),
    round(oursCpuTotal),
    round(nativeCpuTotal),
    round(oursCpuTotal / nativeCpuTotal, 2),
  ]);

  return {
    title: "bzip2: LDM records of whole Level 2 volumes",
    columns: [
      "volume",
      "records",
      "in MB",
      "out MB",
      "ours ms",
      "bzip2 -d ms",
      "ratio",
      "ours CPU",
      "bzip2 CPU",
      "CPU ratio",
    ],
    rows,
    notes: [
      `ours: decompressBzip2() on each record in turn, copies in and out`,
      `included; fastest of ${RUNS} runs after one warm-up run, alternating`,
      `with the bzip2 -d runs.`,
      bzip2 === null
        ? "bzip2 -d: not measured, no bzip2 on PATH."
        : `bzip2 -d: ${bzip2} -dc on one file of all the records as ` +
          `concatenated streams, output to /dev/null; fastest of ${RUNS} ` +
          `wall-clock runs, less the fastest run on an empty stream ` +
          `(process start, ${round(startCost)} ms).`,
      "ratio: ours / bzip2 -d; below 1 means we are faster.",
      "CPU columns: mean CPU ms per run (our thread; bzip2's user + system",
      "time in 10 ms ticks, process start included). Less sensitive than",
      "wall-clock time to other load on a shared machine.",
    ],
  };
}

interface Timing {
  /** Our fastest wall-clock run, ms. */
  ours: number;
  /** bzip2's fastest wall-clock run, ms, process start included. */
  native: number;
  /** Our mean CPU time per run, ms; NaN where /proc is missing. */
  oursCpu: number;
  /** bzip2's mean CPU time per run, ms; NaN where /proc is missing. */
  nativeCpu: number;
}

/**
 * Times both decoders on `volume`, alternating runs so that both see the
 * same load on a shared machine.
 */
async function timeVolume(
  volume: Volume,
  bzip2: string | null,
): Promise<Timing> {
  const path = await Deno.makeTempFile({ suffix: ".bz2" });
  try {
    await Deno.writeFile(path, concat(volume.records));
    const timing: Timing = {
      ours: Infinity,
      native: bzip2 === null ? Number.NaN : Infinity,
      oursCpu: 0,
      nativeCpu: 0,
    };
    for (let run = 0; run < RUNS; run++) {
      let start = performance.now();
      let cpu = threadCpuMs();
      for (const record of volume.records) {
        decompressBzip2(record, { source: volume.name });
      }
      timing.ours = Math.min(timing.ours, performance.now() - start);
      timing.oursCpu += (threadCpuMs() - cpu) / RUNS;

      if (bzip2 === null) continue;
      start = performance.now();
      cpu = childrenCpuMs();
      await runBzip2(bzip2, path);
      timing.native = Math.min(timing.native, performance.now() - start);
      timing.nativeCpu += (childrenCpuMs() - cpu) / RUNS;
    }
    return timing;
  } finally {
    await Deno.remove(path);
  }
}

/** CPU time of the calling thread in ms (Linux); NaN elsewhere. */
function threadCpuMs(): number {
  try {
    const schedstat = Deno.readTextFileSync("/proc/thread-self/schedstat");
    return Number(schedstat.split(" ")[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/**
 * User plus system CPU time of the child processes this process has
 * waited for, in ms (Linux); NaN elsewhere. /proc counts it in ticks of
 * 1/100 s, so a single run is only accurate to 10 ms.
 */
function childrenCpuMs(): number {
  try {
    const stat = Deno.readTextFileSync("/proc/self/stat");
    // Fields after the command name in brackets start at field 3;
    // cutime and cstime are fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Times `bzip2 -dc` on an empty stream: the cost of starting it. */
async function timeProcessStart(bzip2: string): Promise<number> {
  const path = await Deno.makeTempFile({ suffix: ".bz2" });
  try {
    await Deno.writeFile(path, EMPTY_STREAM);
    return await fastestRun(bzip2, path, RUNS);
  } finally {
    await Deno.remove(path);
  }
}

/** Reads the volumes of the corpus whose LDM records are bzip2 streams. */
async function readVolumes(): Promise<Volume[]> {
  const volumes: Volume[] = [];
  const names = [...Deno.readDirSync(LEVEL2)]
    .filter((entry) => entry.isFile)
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    if (name.endsWith(".bz2")) continue; // compressed whole, no records
    const stored = await Deno.readFile(new URL(name, LEVEL2));
    const file = name.endsWith(".gz")
      ? joinParts((await gunzip(stored)).parts)
      : stored;
    const records = splitRecords(file);
    if (records.length > 0 && records.every(isBzip2)) {
      volumes.push({ name, records });
    }
  }
  return volumes;
}

/** Splits an Archive II file into its LDM records (signed length + bytes). */
function splitRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  let offset = VOLUME_HEADER_BYTES;
  while (offset + 4 <= file.length) {
    const length = Math.abs(view.getInt32(offset));
    if (length === 0 || offset + 4 + length > file.length) break;
    records.push(file.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return records;
}
