/**
 * Render section of the benchmark: one super-resolution reflectivity sweep
 * (720 radials x 1832 gates) drawn at the default resolution, step by
 * step, with each PNG encoder. The reference is the original Python
 * service's 1.0 to 1.45 s per sweep (Py-ART and Matplotlib, measured once
 * on this machine type, one process per file).
 *
 * @module
 */

import process from "node:process";
import { constants, deflateSync } from "node:zlib";
import { decodeVolume } from "../core/level2/decode.ts";
import { buildPalette, linearCodeMapping } from "../core/render/palette.ts";
import { defaultColourTable } from "../core/render/palettes/default_tables.ts";
import { planGrid, resamplePolarGrid } from "../core/render/polar_grid.ts";
import {
  assembleIndexedPng,
  chunk,
  encodeIndexedPng,
  encodeIndexedPngWithFastPng,
  encodeRgbaPng,
  type IndexedImage,
} from "../core/render/png.ts";
import { sweepRaster } from "../core/render/sweep_image.ts";
import { type BenchTable, round } from "./table.ts";

const FILE = "KTLX20190715_120037_V06";
const LEVEL2 = new URL("../../shared/data/nexrad/level2/", import.meta.url);
/** Timed runs per step; the median is reported. */
const RUNS = 7;
/** The original service's plot + PNG time per sweep, seconds. */
const ORIGINAL_SECONDS: [number, number] = [1.0, 1.45];

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Times palette, grid and each PNG encoder on one sweep. */
export async function benchRender(): Promise<BenchTable> {
  const bytes = await Deno.readFile(new URL(FILE, LEVEL2));
  const volume = await decodeVolume(bytes, { source: FILE });
  const sweep = volume.sweeps[0];
  const moment = sweep.moments.REF!;
  const raster = sweepRaster(volume, 0, "REF");
  const table = defaultColourTable("REF");
  const mapping = linearCodeMapping(
    moment.scale,
    moment.offset,
    moment.wordSizeBits,
  );

  let palette = buildPalette(table, mapping);
  const paletteTime = await measure(() => {
    palette = buildPalette(table, mapping);
  });
  let grid = planGrid(raster);
  let indices = resamplePolarGrid(raster, grid, palette.colourIndex);
  const gridTime = await measure(() => {
    grid = planGrid(raster);
    indices = resamplePolarGrid(raster, grid, palette.colourIndex);
  });
  const image: IndexedImage = {
    width: grid.width,
    height: grid.height,
    indices,
    colours: palette.colours,
  };
  let indexedBytes = 0;
  const indexedTime = await measure(() => {
    indexedBytes = encodeIndexedPng(image).length;
  });
  let zlibBytes = 0;
  const zlibTime = await measure(() => {
    zlibBytes = encodeWithNodeZlib(image).length;
  });
  let shippedBytes = 0;
  const shippedTime = await measure(() => {
    grid = planGrid(raster);
    const idat = resamplePolarGrid(raster, grid, palette.colourIndex, {
      idat: true,
    });
    shippedBytes = assembleIndexedPng(
      { ...grid, colours: palette.colours },
      idat,
    ).length;
  });
  let fastPngBytes = 0;
  const fastPngTime = await measure(async () => {
    fastPngBytes = (await encodeIndexedPngWithFastPng(image)).length;
  });
  let rgbaBytes = 0;
  const rgbaTime = await measure(async () => {
    rgbaBytes = (await encodeRgbaPng(image)).length;
  });

  const total = (...steps: Timing[]): Timing => ({
    wallMs: steps.reduce((sum, step) => sum + step.wallMs, 0),
    cpuMs: steps.reduce((sum, step) => sum + step.cpuMs, 0),
  });
  const indexedTotal = total(paletteTime, shippedTime);
  const rgbaTotal = total(paletteTime, gridTime, rgbaTime);
  const speedUp = (ms: number) =>
    `${round((ORIGINAL_SECONDS[0] * 1000) / ms, 1)}-` +
    `${round((ORIGINAL_SECONDS[1] * 1000) / ms, 1)}x`;
  const row = (step: string, timing: Timing, size: number | string) => [
    step,
    round(timing.wallMs),
    round(timing.cpuMs),
    size,
  ];

  return {
    title: `render: ${FILE} sweep 1 REF, ${sweep.azimuthsDeg.length} x ` +
      `${moment.gateCount} gates -> ${grid.width} x ${grid.height} px`,
    columns: ["step", "wall ms", "cpu ms", "PNG bytes"],
    rows: [
      row("palette (256 codes)", paletteTime, ""),
      row("grid (plan + resample), pixels copied out", gridTime, ""),
      row("PNG indexed (WebAssembly zlib)", indexedTime, indexedBytes),
      row("PNG indexed (node:zlib Z_RLE)", zlibTime, zlibBytes),
      row("PNG indexed (fast-png)", fastPngTime, fastPngBytes),
      row("PNG RGBA (@jsquash/png)", rgbaTime, rgbaBytes),
      row("grid + indexed PNG in one module call", shippedTime, shippedBytes),
      row("total, shipped (palette + the above)", indexedTotal, shippedBytes),
      row("total, RGBA PNG", rgbaTotal, rgbaBytes),
    ],
    notes: [
      `Median of ${RUNS} runs after one warm-up, in this process on one`,
      "core; cpu ms is this process's user + system time over the same",
      "span, so it excludes time lost to other processes on the machine.",
      "The default resolution is 340 m per pixel at the radar.",
      "The renderer resamples and compresses in one call, so the pixels " +
      "stay in WebAssembly memory; the rows above that split the two " +
      "steps copy them out and back in.",
      `Original service: ${ORIGINAL_SECONDS.join(" to ")} s per sweep. ` +
      `Speed-up with the shipped indexed PNGs: ` +
      `${speedUp(indexedTotal.wallMs)} by wall time, ` +
      `${speedUp(indexedTotal.cpuMs)} by CPU time; with RGBA PNGs: ` +
      `${speedUp(rgbaTotal.wallMs)} and ${speedUp(rgbaTotal.cpuMs)}.`,
    ],
  };
}

/**
 * Encodes an indexed PNG whose IDAT data node:zlib compresses with the
 * same run-length strategy: the reference for the module's zlib writer.
 */
function encodeWithNodeZlib(image: IndexedImage): Uint8Array {
  const { width, height, indices } = image;
  const rows = new Uint8Array((width + 1) * height);
  for (let row = 0; row < height; row++) {
    rows.set(
      indices.subarray(row * width, (row + 1) * width),
      row * (width + 1) + 1,
    );
  }
  const data = deflateSync(rows, { strategy: constants.Z_RLE });
  return assembleIndexedPng(image, chunk("IDAT", data));
}

/** Returns the median wall and CPU time of `work` over RUNS runs. */
async function measure(work: () => unknown): Promise<Timing> {
  await work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await work();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
