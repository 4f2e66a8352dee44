/**
 * Level 3 section of the benchmark: decode and render time of every Level 3
 * product of the corpus that carries a data array, grouped by product
 * code, set against the original Python service's time per product.
 *
 * The original service needed 0.50-1.85 s (median 0.92 s) per Level 3
 * product to draw and encode it after the Py-ART read. That was measured
 * once on the project's 2-core machine type and is a constant here.
 *
 * @module
 */

import { decodeProductSync } from "../core/level3/decode.ts";
import type { Product } from "../core/radar/product.ts";
import { renderProductImage } from "../core/render/product_image.ts";
import { type BenchTable, round } from "./table.ts";

const LEVEL3 = new URL("../../shared/data/nexrad/level3/", import.meta.url);
/** Timed decode runs per file; the fastest one is kept. */
const DECODE_RUNS = 5;
/** The original service's median time per product to draw and encode, ms. */
const ORIGINAL_MEDIAN_MS = 920;
const ORIGINAL_RANGE_MS = [500, 1850];

interface Timing {
  product: Product;
  decodeMs: number;
  /** Render time, ms; NaN for products the renderer rejects (packet 17). */
  renderMs: number;
}

/** Times the decode and render of each Level 3 product with data. */
export async function benchLevel3(): Promise<BenchTable> {
  const timings = await timeCorpus();
  const byCode = Map.groupBy(timings, (timing) => timing.product.productCode);
  const rows: (string | number)[][] = [];
  for (const [code, group] of [...byCode].sort(([a], [b]) => a - b)) {
    const first = group[0].product;
    rows.push([
      code,
      first.mnemonic ?? "",
      first.data?.kind ?? "",
      ...summary(group),
    ]);
  }
  rows.push(["all", "", "", ...summary(timings)]);

  const decode = timings.map((timing) => timing.decodeMs);
  const rendered = timings.filter((timing) => !Number.isNaN(timing.renderMs));
  const total = rendered.map((timing) => timing.decodeMs + timing.renderMs);
  return {
    title: "Level 3: decode and render time per product",
    columns: [
      "code",
      "example",
      "data",
      "files",
      "decode ms",
      "max",
      "render ms",
      "max",
      "ratio",
    ],
    rows,
    notes: [
      `Decode: median ${round(median(decode), 2)} ms, range ` +
      `${round(Math.min(...decode), 2)}-${round(Math.max(...decode), 2)} ` +
      `ms over ${decode.length} files.`,
      `Decode + render: median ${round(median(total))} ms, range ` +
      `${round(Math.min(...total))}-${round(Math.max(...total))} ms over ` +
      `${total.length} files.`,
      `decode: decodeProductSync() from the stored bytes (framing, zlib, ` +
      `bzip2, packets, data level map); fastest of ${DECODE_RUNS} runs ` +
      `per file after one warm-up run. Columns give medians and maxima.`,
      `render: renderProductImage() with default options (palette, Web ` +
      `Mercator grid, PNG); one run per file after one warm-up render. ` +
      `Radial and raster products are rendered; the digital ` +
      `precipitation array (packet 17, HRAP grid) is not (blank).`,
      `ratio: median of our decode + render / the original's median ` +
      `${ORIGINAL_MEDIAN_MS} ms (range ${ORIGINAL_RANGE_MS.join("-")} ms) ` +
      `per product to draw and encode; below 1 means we are faster.`,
    ],
  };
}

/** Median and maximum decode and render times, then the ratio. */
function summary(group: Timing[]): (string | number)[] {
  const decode = group.map((timing) => timing.decodeMs);
  const rendered = group.filter((timing) => !Number.isNaN(timing.renderMs));
  const render = rendered.map((timing) => timing.renderMs);
  const total = rendered.map((timing) => timing.decodeMs + timing.renderMs);
  return [
    group.length,
    round(median(decode), 2),
    round(Math.max(...decode), 2),
    render.length === 0 ? "" : round(median(render)),
    render.length === 0 ? "" : round(Math.max(...render)),
    total.length === 0 ? "" : ratio(median(total)),
  ];
}

async function timeCorpus(): Promise<Timing[]> {
  const names = [...Deno.readDirSync(LEVEL3)]
    .filter((entry) => entry.isFile)
    .map((entry) => entry.name)
    .sort();
  const timings: Timing[] = [];
  let warm = false;
  for (const name of names) {
    const bytes = await Deno.readFile(new URL(name, LEVEL3));
    let product: Product;
    try {
      product = decodeProductSync(bytes, { source: name });
    } catch {
      continue; // General Status and free-text messages carry no data
    }
    if (product.data === null) continue;

    let decodeMs = Infinity;
    for (let run = 0; run < DECODE_RUNS; run++) {
      const start = performance.now();
      decodeProductSync(bytes, { source: name });
      decodeMs = Math.min(decodeMs, performance.now() - start);
    }

    let renderMs = NaN;
    if (await renders(product)) {
      if (!warm) {
        await renderProductImage(product);
        warm = true;
      }
      const start = performance.now();
      await renderProductImage(product);
      renderMs = performance.now() - start;
    }
    timings.push({ product, decodeMs, renderMs });
  }
  return timings;
}

/** Returns true when the renderer accepts the product. */
async function renders(product: Product): Promise<boolean> {
  try {
    await renderProductImage(product, { resolutionM: 100_000 });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** Our time over the original's median, to two significant digits. */
function ratio(ms: number): number {
  return Number((ms / ORIGINAL_MEDIAN_MS).toPrecision(2));
}

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}
