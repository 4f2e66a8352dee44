/**
 * Level 3 section of the benchmark: decode time of every Level 3 product
 * of the corpus that carries a data array, grouped by product code, set
 * against the original Python service's time per product.
 *
 * The original service needed 0.50-1.85 s (median 0.92 s) per Level 3
 * product to draw and encode it after the Py-ART read. That was measured
 * once on the project's 2-core machine type and is a constant here. Our figure is the decode only (framing, zlib, bzip2,
 * packets, data level map) until the renderer lands.
 *
 * @module
 */

import { decodeProductSync } from "../core/level3/decode.ts";
import type { Product } from "../core/radar/product.ts";
import { type BenchTable, round } from "./table.ts";

const LEVEL3 = new URL("../../shared/data/nexrad/level3/", import.meta.url);
/** Timed runs per file; the fastest one is kept. */
const RUNS = 5;
/** The original service's median time per product to draw and encode, ms. */
const ORIGINAL_MEDIAN_MS = 920;
const ORIGINAL_RANGE_MS = [500, 1850];

interface Timing {
  name: string;
  product: Product;
  bytes: number;
  decodeMs: number;
}

/** Times the decode of each Level 3 product with a data array. */
export async function benchLevel3(): Promise<BenchTable> {
  const timings = await timeCorpus();
  const byCode = Map.groupBy(timings, (timing) => timing.product.productCode);
  const rows: (string | number)[][] = [];
  for (const [code, group] of [...byCode].sort(([a], [b]) => a - b)) {
    const times = group.map((timing) => timing.decodeMs);
    const first = group[0].product;
    rows.push([
      code,
      first.mnemonic ?? "",
      first.data?.kind ?? "",
      group.length,
      round(median(times), 2),
      round(Math.max(...times), 2),
      ratio(median(times)),
    ]);
  }

  const all = timings.map((timing) => timing.decodeMs);
  rows.push([
    "all",
    "",
    "",
    timings.length,
    round(median(all), 2),
    round(Math.max(...all), 2),
    ratio(median(all)),
  ]);

  return {
    title: "Level 3: decode time per product",
    columns: [
      "code",
      "example",
      "data",
      "files",
      "median ms",
      "max ms",
      "ratio",
    ],
    rows,
    notes: [
      `All products: median ${round(median(all), 2)} ms, range ` +
      `${round(Math.min(...all), 2)}-${round(Math.max(...all), 2)} ms ` +
      `over ${timings.length} files.`,
      `ours: decodeProductSync() from the stored bytes (framing, zlib, ` +
      `bzip2, packets, data level map); fastest of ${RUNS} runs per file ` +
      `after one warm-up run.`,
      `ratio: our median / the original's median ${ORIGINAL_MEDIAN_MS} ms ` +
      `(range ${ORIGINAL_RANGE_MS.join("-")} ms) per product to draw and ` +
      `encode; below 1 means we are faster. Rendering is not included yet.`,
    ],
  };
}

async function timeCorpus(): Promise<Timing[]> {
  const names = [...Deno.readDirSync(LEVEL3)]
    .filter((entry) => entry.isFile)
    .map((entry) => entry.name)
    .sort();
  const timings: Timing[] = [];
  for (const name of names) {
    const bytes = await Deno.readFile(new URL(name, LEVEL3));
    let product: Product;
    try {
      product = decodeProductSync(bytes, { source: name });
    } catch {
      continue; // General Status and free-text messages carry no data
    }
    if (product.data === null) continue;
    let best = Infinity;
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      decodeProductSync(bytes, { source: name });
      best = Math.min(best, performance.now() - start);
    }
    timings.push({ name, product, bytes: bytes.length, decodeMs: best });
  }
  return timings;
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
