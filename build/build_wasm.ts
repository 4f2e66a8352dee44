/**
 * Compiles `assembly/` into `build/nexrad.wasm`: the one command behind
 * `deno task build:wasm`. The output is committed, and CI rebuilds it and
 * fails when the bytes differ, so edit `assembly/` and rerun this instead of
 * touching the `.wasm`.
 *
 * The compiler version is pinned in `deno.json` (`assemblyscript`), and the
 * Binaryen optimiser it runs is pinned through `deno.lock`.
 *
 * @module
 */

import asc from "assemblyscript/asc";

const ENTRY = "assembly/index.ts";
const OUTPUT = "build/nexrad.wasm";

const flags = [
  ENTRY,
  "--outFile",
  OUTPUT,
  // Speed over size: the decoders run on megabytes per call.
  "--optimizeLevel",
  "3",
  "--shrinkLevel",
  "0",
  // Run the optimiser until the module stops shrinking, so a rebuild is a
  // fixed point and byte-identical on every machine.
  "--converge",
  // The incremental collector lets the decoders use managed arrays; the
  // loader needs __new, __pin and __unpin to pass buffers in and out.
  "--runtime",
  "incremental",
  "--exportRuntime",
  // 128-bit SIMD, which V8 (Deno and Deno Deploy) supports: the polar
  // resampler computes four pixels' geometry at a time.
  "--enable",
  "simd",
  // Bounds checks stay on (no --noAssert): inputs are untrusted, and a
  // failed check becomes an abort that the loader turns into an error and a
  // fresh instance. No --debug or --sourceMap either: both would embed
  // names or paths that change with the checkout.
];

const { error, stdout, stderr } = await asc.main(flags, {});
const log = stdout.toString() + stderr.toString();
if (log.trim() !== "") console.error(log.trimEnd());
if (error) {
  console.error(`Cannot compile ${ENTRY}: ${error.message}`);
  Deno.exit(1);
}
const { size } = await Deno.stat(OUTPUT);
console.log(`Wrote ${OUTPUT} (${size} bytes)`);
