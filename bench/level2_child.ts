/**
 * Subprocess of the Level 2 benchmark (`bench/level2.ts`), so that a
 * decoder that hangs can be stopped and memory is measured in a fresh
 * process. Prints one JSON line.
 *
 * Usage: `deno run -A bench/level2_child.ts reference|memory RUNS PATH...`
 * with one file, or the chunk files of one volume in name order.
 *
 * - `reference`: decodes with nexrad-level-2-data (`new Level2Radar`; a
 *   chunk set chunk by chunk, merged with `Level2Radar.combineData`) and
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
import { decodeOurs } from "./level2.ts";

const [mode, runsText, ...paths] = Deno.args;
const files = paths.map((path) => Deno.readFileSync(path));

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
  if (mode === "reference") {
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
