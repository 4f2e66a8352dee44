/// <reference lib="deno.worker" />
/**
 * Worker of the memory test in sweep_image_test.ts. Its own module instance
 * renders the requested sweeps in order and posts the module's memory size
 * after each image.
 */

import { decodeVolume } from "../../../core/level2/decode.ts";
import { renderSweepImage } from "../../../core/render/sweep_image.ts";
import { withWasm } from "../../../core/wasm/loader.ts";

self.onmessage = async (
  event: MessageEvent<{ path: string; sweeps: number[] }>,
) => {
  const { path, sweeps } = event.data;
  const volume = await decodeVolume(await Deno.readFile(path));
  const sizes: number[] = [];
  for (const index of sweeps) {
    await renderSweepImage(volume, index, "REF");
    sizes.push(withWasm((wasm) => wasm.memory.buffer.byteLength));
  }
  self.postMessage(sizes);
};
