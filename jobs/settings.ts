/**
 * Settings of the jobs alone, read from environment variables beside the
 * shared ones in `core/config.ts` (sites, windows, store, source endpoint,
 * schedules).
 *
 * @module
 */

import { type Level3Type, parseLevel3Types } from "./level3_catalogue.ts";
import { type Product, PRODUCTS } from "../core/storage/keys.ts";

/** Buckets the Level 2 job reads: the archive, the real-time chunks, or both. */
export type Level2Source = "archive" | "chunks" | "both";

const LEVEL2_SOURCES: readonly Level2Source[] = ["archive", "chunks", "both"];

/** Settings of the jobs; see the README for each variable. */
export interface JobSettings {
  /** `L2_SOURCE`: where the Level 2 job finds volumes. */
  level2Source: Level2Source;
  /** `L2_PRODUCTS`: Level 2 products, the main one first. */
  level2Products: Product[];
  /** `L3_PRODUCTS`: Level 3 product types and their codes. */
  level3Types: Level3Type[];
  /** `JOB_WORKERS`: decode-and-render workers. */
  workers: number;
  /** `DOWNLOAD_CONCURRENCY`: archive downloads at once. */
  downloadConcurrency: number;
  /** `MAX_ATTEMPTS`: failed passes after which an input is skipped. */
  maxAttempts: number;
  /** `RENDER_RESOLUTION_M`: ground size of a pixel, metres; renderer default if unset. */
  resolutionM?: number;
}

/**
 * Reads the job settings. Unset or empty variables take their defaults.
 *
 * @throws {TypeError} Naming the variable whose value is invalid.
 */
export function loadJobSettings(
  env: Record<string, string | undefined>,
): JobSettings {
  const read = (name: string) => env[name]?.trim() || undefined;

  // A product named twice is stored once.
  const level2Products = [
    ...new Set(
      (read("L2_PRODUCTS") ?? "reflectivity,velocity")
        .split(",").map((product) => product.trim()).filter(Boolean),
    ),
  ];
  for (const product of level2Products) {
    if (!PRODUCTS[2].includes(product as Product)) {
      throw new TypeError(
        `Invalid L2_PRODUCTS: unknown product "${product}", expected some of ${
          PRODUCTS[2].join(", ")
        }`,
      );
    }
  }
  if (level2Products.length === 0) {
    throw new TypeError("Invalid L2_PRODUCTS: expected at least one product");
  }

  let level3Types: Level3Type[];
  try {
    level3Types = parseLevel3Types(
      read("L3_PRODUCTS") ?? "hydrometeor,precipitation",
    );
  } catch (error) {
    // The message starts "Invalid ...": name the setting before it.
    throw new TypeError(`L3_PRODUCTS: ${(error as Error).message}`);
  }
  if (level3Types.length === 0) {
    throw new TypeError("Invalid L3_PRODUCTS: expected at least one type");
  }

  const level2Source = read("L2_SOURCE") ?? "archive";
  if (!LEVEL2_SOURCES.includes(level2Source as Level2Source)) {
    throw new TypeError(
      `Invalid L2_SOURCE: expected ${
        LEVEL2_SOURCES.join(", ")
      }, found "${level2Source}"`,
    );
  }

  const resolution = read("RENDER_RESOLUTION_M");
  return {
    level2Source: level2Source as Level2Source,
    level2Products: level2Products as Product[],
    level3Types,
    workers: readCount(
      "JOB_WORKERS",
      read("JOB_WORKERS"),
      navigator.hardwareConcurrency,
    ),
    downloadConcurrency: readCount(
      "DOWNLOAD_CONCURRENCY",
      read("DOWNLOAD_CONCURRENCY"),
      4,
    ),
    maxAttempts: readCount("MAX_ATTEMPTS", read("MAX_ATTEMPTS"), 3),
    resolutionM: resolution === undefined
      ? undefined
      : readCount("RENDER_RESOLUTION_M", resolution, 0),
  };
}

function readCount(
  name: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return Math.max(1, fallback);
  if (!/^[1-9]\d{0,5}$/.test(value)) {
    throw new TypeError(
      `Invalid ${name}: expected a whole number from 1 to 999999, found "${value}"`,
    );
  }
  return Number(value);
}
