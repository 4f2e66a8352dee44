/**
 * Level 2 section of the benchmark: decodes each whole volume of the corpus
 * (files and chunk sets) with `decodeVolume()` / `ChunkedVolume` and
 * compares the time with native `bzip2 -d` on the same compressed records
 * and with the npm package nexrad-level-2-data on the same file, plus the
 * memory a decode takes against the decompressed size of the volume.
 *
 * @module
 */

import { decompressBzip2 } from "../core/bzip2.ts";
import { ChunkedVolume } from "../core/level2/chunks.ts";
import { decodeVolume } from "../core/level2/decode.ts";
import { gunzip, isGzip, joinParts } from "../core/level2/wrappers.ts";
import type { Volume } from "../core/radar/volume.ts";
import { findBzip2, isBzip2, nativeMs } from "./native_bzip2.ts";
import { type BenchTable, round } from "./table.ts";

const LEVEL2 = new URL("../../shared/data/nexrad/level2/", import.meta.url);
const CHILD = new URL("./level2_child.ts", import.meta.url).pathname;
/** Timed runs per measurement; the fastest one is reported. */
const RUNS = 3;
/**
 * V8 flags that compile the whole WebAssembly module with TurboFan when it
 * loads, instead of each function with Liftoff on its first call and with
 * TurboFan once it is hot.
 */
const EAGER_COMPILE = "--no-liftoff,--no-wasm-lazy-compilation";
/** Time allowed to nexrad-level-2-data for all its runs of one volume. */
const REFERENCE_TIMEOUT_MS = 60_000;

interface BenchVolume {
  name: string;
  paths: string[];
  files: Uint8Array[];
  /**
   * True for a chunk set given chunk by chunk: ours through
   * `ChunkedVolume`, the package through `Level2Radar.combineData`. The
   * targets take the set as one file, so this reading is extra.
   */
  byChunk?: boolean;
}

/** Times our decoder against bzip2 -d and nexrad-level-2-data. */
export async function benchLevel2(): Promise<BenchTable> {
  const bzip2 = await findBzip2();
  const rows: (string | number)[][] = [];
  const failures: string[] = [];
  const totals = { ours: 0, native: 0, oursWithReference: 0, reference: 0 };
  const byChunk: (string | number)[][] = [];

  for (const volume of readVolumes()) {
    const streams = (await Promise.all(volume.files.map(bzip2Streams))).flat();
    const decompressed = await decompressedBytes(volume.files, streams);
    const { ours, native, reference } = await timeDecoders(
      volume,
      bzip2 === null || streams.length === 0
        ? null
        : () => nativeMs(bzip2, streams, RUNS),
    );
    const { privateBytes, residentBytes } = await measureMemory(volume, true);
    const firstDecode = await measureMemory(volume, false);
    const row = [
      volume.name,
      round(decompressed / 1e6, 1),
      round(ours),
      Number.isNaN(native) ? "-" : round(native),
      Number.isNaN(native) ? "-" : round(ours / native, 2),
      typeof reference === "number" ? round(reference) : "failed",
      typeof reference === "number" ? round(reference / ours, 1) : "-",
      round(privateBytes / 1e6, 1),
      round(privateBytes / decompressed, 2),
      round(firstDecode.privateBytes / decompressed, 2),
      round(residentBytes / 1e6, 1),
    ];
    if (volume.byChunk) {
      byChunk.push(row);
      if (typeof reference !== "number") {
        failures.push(`${volume.name}: ${reference}`);
      }
      continue;
    }
    rows.push(row);
    if (!Number.isNaN(native)) {
      totals.ours += ours;
      totals.native += native;
    }
    if (typeof reference === "number") {
      totals.oursWithReference += ours;
      totals.reference += reference;
    } else {
      failures.push(`${volume.name}: ${reference}`);
    }
  }
  rows.push([
    "all volumes",
    "",
    round(totals.ours),
    round(totals.native),
    round(totals.ours / totals.native, 2),
    round(totals.reference),
    round(totals.reference / totals.oursWithReference, 1),
    "",
    "",
    "",
    "",
  ], ...byChunk);

  return {
    title:
      "Level 2: whole volumes, decodeVolume() vs bzip2 -d and nexrad-level-2-data",
    columns: [
      "volume",
      "out MB",
      "ours ms",
      "bzip2 -d ms",
      "ours/bzip2",
      "node ms",
      "node/ours",
      "private MB",
      "private/out",
      "first/out",
      "RSS MB",
    ],
    rows,
    notes: [
      `out MB: the volume's messages after decompression (all records).`,
      `ours: decodeVolume() on the stored file, gzip inflation included. A`,
      `chunk set is one file, its chunks joined in name order as Py-ART and`,
      `MetPy read it; the rows "by chunk" after the totals give it chunk by`,
      `chunk instead (ours: ChunkedVolume; node: Level2Radar.combineData).`,
      `Ours, bzip2 -d and node`,
      `take turns run by run in one subprocess per volume, so that changes in`,
      `the machine's load hit all three alike; fastest of ${RUNS} runs each.`,
      `bzip2 -d: ${bzip2 ?? "not on PATH"} -dc on the same bzip2 streams`,
      `(records concatenated, or the whole .bz2 file), output to /dev/null,`,
      `less the process start; "-" where the volume has no bzip2.`,
      `node: nexrad-level-2-data 2.4.3 on the same bytes. The three are`,
      `stopped together after ${REFERENCE_TIMEOUT_MS / 1000} s; ours and`,
      `bzip2 -d are then timed on their own;`,
      `totals of the ratio columns count only volumes that both decoded.`,
      `private: growth of a fresh process's private resident memory`,
      `(RssAnon: JS heap, buffers, WebAssembly memory) over one decode, plus`,
      `what the resident set gave back before the end (VmHWM - VmRSS), with`,
      `the WebAssembly module compiled in full before the decode`,
      `(${EAGER_COMPILE}); the 3x target is judged on it.`,
      `first: the same with the module compiled as usual, a function at a`,
      `time on first call and again when hot, during the decode: it adds`,
      `about 1 MB that a process pays once (compiler memory, code).`,
      `RSS: growth of the whole resident set in the first measure, which`,
      `also counts the Deno executable's code pages that the decode reads in`,
      `on first use (inflate), a cost of the process rather than the volume.`,
      ...failures.map((line) => `node failed on ${line}`),
    ],
  };
}

/** Decodes the input with our decoder. */
export async function decodeOurs(
  names: string[],
  bytes: Uint8Array[],
): Promise<Volume> {
  if (bytes.length === 1) return decodeVolume(bytes[0], { source: names[0] });
  const chunks = new ChunkedVolume(names[0]);
  for (const [i, chunk] of bytes.entries()) {
    await chunks.add(names[i].split("/").at(-1)!, chunk);
  }
  return chunks.volume();
}

function readVolumes(): BenchVolume[] {
  const volumes: BenchVolume[] = [];
  const byChunk: BenchVolume[] = [];
  const entries = [...Deno.readDirSync(LEVEL2)].sort((a, b) =>
    a.name.localeCompare(b.name)
  );
  for (const entry of entries) {
    if (!entry.isFile) continue;
    const path = new URL(entry.name, LEVEL2).pathname;
    volumes.push({
      name: entry.name,
      paths: [path],
      files: [Deno.readFileSync(path)],
    });
  }
  const chunkSets = new URL("chunks/", LEVEL2);
  for (
    const set of [...Deno.readDirSync(chunkSets)].map((e) => e.name).sort()
  ) {
    const folder = new URL(`${set}/`, chunkSets);
    const paths = [...Deno.readDirSync(folder)].map((e) => e.name).sort()
      .map((name) => new URL(name, folder).pathname);
    const files = paths.map((path) => Deno.readFileSync(path));
    // The set as one file, its chunks joined in name order as Py-ART and
    // MetPy read a set, then chunk by chunk.
    volumes.push({ name: `chunks/${set}`, paths, files: [joinParts(files)] });
    byChunk.push({
      name: `chunks/${set} by chunk`,
      paths,
      files,
      byChunk: true,
    });
  }
  volumes.push(...byChunk);
  return volumes;
}

/** Finds the bzip2 streams of a stored file: LDM records or the whole file. */
export async function bzip2Streams(stored: Uint8Array): Promise<Uint8Array[]> {
  const file = isGzip(stored)
    ? joinParts((await gunzip(stored)).parts)
    : stored;
  if (isBzip2(file)) return [file];
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const start = isBzip2(file.subarray(4)) ? 0 : 24;
  const streams: Uint8Array[] = [];
  for (let at = start; at + 8 <= file.length;) {
    const length = Math.abs(view.getInt32(at));
    const record = file.subarray(at + 4, at + 4 + length);
    if (!isBzip2(record)) break;
    streams.push(record);
    at += 4 + length;
  }
  return streams;
}

async function decompressedBytes(
  files: Uint8Array[],
  streams: Uint8Array[],
): Promise<number> {
  if (streams.length > 0) {
    return streams.reduce(
      (n, s) => n + decompressBzip2(s, { source: "bench" }).length,
      0,
    );
  }
  let total = 0;
  for (const file of files) {
    total += isGzip(file) ? (await gunzip(file)).length : file.length;
  }
  return total;
}

async function timeOurs(volume: BenchVolume): Promise<number> {
  await decodeOurs(volume.paths, volume.files);
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await decodeOurs(volume.paths, volume.files);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * Times ours, `bzip2 -d` and nexrad-level-2-data taking turns in a
 * subprocess (see level2_child.ts). When that fails or times out (a
 * reference that hangs), ours and bzip2 are timed here and the reference
 * gets the reason.
 *
 * @returns Fastest times in ms (native NaN without bzip2 streams), and
 * the reference's time or why it produced none.
 */
async function timeDecoders(
  volume: BenchVolume,
  timeNative: (() => Promise<number>) | null,
): Promise<{ ours: number; native: number; reference: number | string }> {
  const output = await runChild("compare", volume, REFERENCE_TIMEOUT_MS);
  if (typeof output === "string") {
    return {
      ours: await timeOurs(volume),
      native: timeNative === null ? NaN : await timeNative(),
      reference: output,
    };
  }
  return {
    ours: output.oursMs,
    native: output.nativeMs ?? NaN,
    reference: output.referenceError ??
      (output.elevations === 0
        ? "it returned no elevations"
        : output.referenceMs),
  };
}

/**
 * Measures the memory one decode takes in a fresh process, in bytes (NaN
 * if it failed).
 * With `compiledFirst`, the process compiles the whole WebAssembly module
 * with the optimising compiler when it loads it, before the baseline.
 */
async function measureMemory(
  volume: BenchVolume,
  compiledFirst: boolean,
): Promise<{ privateBytes: number; residentBytes: number }> {
  const output = await runChild(
    "memory",
    volume,
    REFERENCE_TIMEOUT_MS,
    compiledFirst ? [`--v8-flags=${EAGER_COMPILE}`] : [],
  );
  if (typeof output === "string") {
    return { privateBytes: NaN, residentBytes: NaN };
  }
  const returned = output.peakBytes - output.residentBytes;
  return {
    privateBytes: output.privateBytes + returned,
    residentBytes: output.peakBytes,
  };
}

async function runChild(
  mode: string,
  volume: BenchVolume,
  timeoutMs: number,
  flags: string[] = [],
  // deno-lint-ignore no-explicit-any
): Promise<any | string> {
  // The child's temporary files go here, removed even when it is stopped.
  const temporary = await Deno.makeTempDir({ prefix: "bench_level2_" });
  const timeout = AbortSignal.timeout(timeoutMs);
  const late = `no result within ${timeoutMs / 1000} s`;
  try {
    const { success, stdout } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--unsafe-proto",
        ...flags,
        CHILD,
        mode,
        String(RUNS),
        ...(volume.paths.length > volume.files.length ? ["--joined"] : []),
        ...volume.paths,
      ],
      stdout: "piped",
      stderr: "null",
      env: { TMPDIR: temporary },
      signal: timeout,
    }).output();
    const lines = new TextDecoder().decode(stdout).trim().split("\n");
    // A child stopped by the timeout ends with a signal, not an error.
    if (!success) return timeout.aborted ? late : "it threw an error";
    return JSON.parse(lines.at(-1)!);
  } catch (error) {
    return timeout.aborted ? late : `${error}`;
  } finally {
    await Deno.remove(temporary, { recursive: true });
  }
}
