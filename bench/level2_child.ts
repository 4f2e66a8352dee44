/**
 * Subprocess of the Level 2 benchmark (`bench/level2.ts`), so that a
 * decoder that hangs can be stopped and memory is measured in a fresh
 * process. Prints one JSON line.
 *
 * Usage:
 * `deno run -A bench/level2_child.ts compare|reference|memory RUNS [--joined] PATH...`
 * with one file, or the chunk files of one volume in name order. With
 * `--joined` (right after RUNS), the chunks are joined into one file
 * first, and every mode reads that file.
 *
 * - `compare`: times ours, nexrad-level-2-data and `bzip2 -dc` on the
 *   volume's bzip2 streams, taking turns run by run, so that a change in
 *   the machine's load (other virtual machines on its host) slows all
 *   three alike. Prints the fastest of RUNS runs of each in ms.
 * - `reference`: decodes with nexrad-level-2-data (`new Level2Radar`; a
 *   chunk set without `--joined` chunk by chunk, merged with
 *   `Level2Radar.combineData`) and
 *   prints the fastest of RUNS runs in ms.
 * - `memory`: decodes once with ours and prints, in bytes, how much the
 *   process's private (anonymous) resident memory grew, how much its whole
 *   resident set grew, and the growth of its peak resident set. The parent
 *   chooses with V8 flags when the WebAssembly module is compiled.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { Level2Radar } from "nexrad-level-2-data";
import { decodeVolume } from "../core/level2/decode.ts";
import { joinParts } from "../core/level2/wrappers.ts";
import { bzip2Streams, decodeOurs } from "./level2.ts";
import { findBzip2, runBzip2, writeNativeInputs } from "./native_bzip2.ts";

const [mode, runsText, ...rest] = Deno.args;
const joined = rest[0] === "--joined";
const paths = joined ? rest.slice(1) : rest;
const chunks = paths.map((path) => Deno.readFileSync(path));
const files = joined ? [joinParts(chunks)] : chunks;

function decodeReference(): number {
  const options = { logger: false };
  const radars = files.map((file) =>
    new Level2Radar(Buffer.from(file), options)
  );
  const radar = radars.length === 1
    ? radars[0]
    : Level2Radar.combineData(...radars);
  return radar.listElevations().length;
}

if (import.meta.main) {
  if (mode === "compare") {
    console.log(JSON.stringify(await compare(Number(runsText))));
  } else if (mode === "reference") {
    let best = Infinity;
    let elevations = 0;
    for (let run = 0; run < Number(runsText); run++) {
      const start = performance.now();
      elevations = decodeReference();
      best = Math.min(best, performance.now() - start);
    }
    console.log(JSON.stringify({ ms: best, elevations }));
  } else {
    // Instantiate the module first, so its compilation is in the baseline.
    // Under --no-liftoff and --no-wasm-lazy-compilation that is all of it.
    // Otherwise only validation is, and each function compiles on its first
    // call during the decode.
    await decodeVolume(new Uint8Array(files[0].subarray(0, 24))).catch(
      () => {},
    );
    // Restart the peak (VmHWM) at the current resident set (proc(5),
    // /proc/pid/clear_refs).
    Deno.writeTextFileSync("/proc/self/clear_refs", "5");
    const before = residentMemory();
    const volume = await decodeOurs(paths, files);
    const after = residentMemory();
    console.log(JSON.stringify({
      privateBytes: after.anonymous - before.anonymous,
      residentBytes: after.resident - before.resident,
      peakBytes: after.peak - before.resident,
      sweeps: volume.sweeps.length,
    }));
  }
}

/** Times the three decoders taking turns; see the module doc. */
async function compare(runs: number): Promise<{
  oursMs: number;
  referenceMs: number | null;
  elevations: number;
  referenceError: string | null;
  nativeMs: number | null;
}> {
  const bzip2 = await findBzip2();
  const streams = (await Promise.all(files.map(bzip2Streams))).flat();
  const native = bzip2 === null || streams.length === 0
    ? null
    : await writeNativeInputs(streams);
  const best = { ours: Infinity, reference: Infinity, native: Infinity };
  let start = Infinity;
  let elevations = 0;
  let referenceError: string | null = null;
  const time = async (run: () => unknown) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  try {
    await decodeOurs(paths, files);
    for (let run = 0; run < runs; run++) {
      best.ours = Math.min(
        best.ours,
        await time(() => decodeOurs(paths, files)),
      );
      if (referenceError === null) {
        try {
          best.reference = Math.min(
            best.reference,
            await time(() => elevations = decodeReference()),
          );
        } catch (error) {
          referenceError = `it threw: ${(error as Error).message}`;
        }
      }
      if (native !== null) {
        best.native = Math.min(
          best.native,
          await time(() => runBzip2(bzip2!, native.path)),
        );
        start = Math.min(
          start,
          await time(() => runBzip2(bzip2!, native.empty)),
        );
      }
    }
  } finally {
    await native?.remove();
  }
  return {
    oursMs: best.ours,
    referenceMs: referenceError === null ? best.reference : null,
    elevations,
    referenceError,
    nativeMs: native === null ? null : best.native - start,
  };
}

/** Resident memory of this process from /proc/self/status, in bytes. */
function residentMemory(): {
  resident: number;
  anonymous: number;
  peak: number;
} {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kilobytes = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) *
    1024;
  return {
    resident: kilobytes("VmRSS"),
    anonymous: kilobytes("RssAnon"),
    peak: kilobytes("VmHWM"),
  };
}
