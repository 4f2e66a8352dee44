/**
 * The key layout of the store, shared by the jobs that write it and the API
 * that reads it. The API builds keys from a request only out of parts that
 * passed {@linkcode parseLevel}, {@linkcode isProduct} or
 * {@linkcode parsePlotStem}, and every store rejects unsafe keys with
 * {@linkcode assertSafeKey}.
 *
 * | Key | Contents |
 * | --- | --- |
 * | `plots_level2/{prefix}_{product}_idx{k}.png` and `.json` | one sweep |
 * | `plots_level3/{prefix}_{product}_idx0.png` and `.json` | one product |
 * | `lists/nexrad_level{2,3}_{product}_files.json` | prefix -> `{sweeps}` |
 * | `failures/nexrad_level{2,3}_{product}_failures.json` | failed inputs |
 * | `partial/nexrad_level2_{product}_partial.json` | volumes published early |
 * | `codes/options.json` | Level 3 codes per product, for the menus |
 * | `flags/update_flags.json` | `{updates: {product: 0 or 1}}` |
 * | `legends/{table}.png` and `.json` | a colour table's bar and entries |
 *
 * A Level 2 prefix is the archive object's name, `KPDT20250321_010412_V06`
 * (ICAO id, volume start `YYYYMMDD_HHMMSS` UTC, optional `_V0n` version).
 * A Level 3 prefix is `KPDT20250321_010412_N0H`: ICAO id, product time and
 * the three-character product code. A legend is named after its colour
 * table (`REF`, `precipitationRate`, see {@linkcode parseLegendName}).
 *
 * @module
 */

/** Data level: 2 for Archive II volumes, 3 for Level 3 products. */
export type Level = 2 | 3;

/**
 * Product types, each tied to one level. The frontend shows reflectivity,
 * hydrometeor and precipitation; the jobs can also render the other Level 2
 * moments and the Level 3 base products (settings `L2_PRODUCTS` and
 * `L3_PRODUCTS`). Level 3 base products have their own names, so that the
 * `reflectivity` type always means the Level 2 one the frontend expects.
 */
export type Product =
  | "reflectivity"
  | "velocity"
  | "spectrum_width"
  | "differential_reflectivity"
  | "differential_phase"
  | "cross_correlation_ratio"
  | "clutter_filter_power_removed"
  | "hydrometeor"
  | "precipitation"
  | "base_reflectivity"
  | "base_velocity"
  | "storm_relative_velocity"
  | "base_spectrum_width"
  | "composite_reflectivity"
  | "layer_composite_reflectivity"
  | "digital_hybrid_reflectivity"
  | "digital_differential_reflectivity"
  | "digital_correlation_coefficient"
  | "digital_specific_differential_phase"
  | "echo_tops"
  | "vertically_integrated_liquid"
  | "tdwr_reflectivity"
  | "tdwr_velocity";

/** Products per level, those the frontend shows first. */
export const PRODUCTS: Readonly<Record<Level, readonly Product[]>> = {
  2: [
    "reflectivity",
    "velocity",
    "spectrum_width",
    "differential_reflectivity",
    "differential_phase",
    "cross_correlation_ratio",
    "clutter_filter_power_removed",
  ],
  3: [
    "hydrometeor",
    "precipitation",
    "base_reflectivity",
    "base_velocity",
    "storm_relative_velocity",
    "base_spectrum_width",
    "composite_reflectivity",
    "layer_composite_reflectivity",
    "digital_hybrid_reflectivity",
    "digital_differential_reflectivity",
    "digital_correlation_coefficient",
    "digital_specific_differential_phase",
    "echo_tops",
    "vertically_integrated_liquid",
    "tdwr_reflectivity",
    "tdwr_velocity",
  ],
};

/** The products `GET /list-all/` returns: the three the frontend shows. */
export const ALL_PRODUCTS: readonly Product[] = [
  "reflectivity",
  "hydrometeor",
  "precipitation",
];

/** Level of each product. */
export const PRODUCT_LEVEL = Object.fromEntries(
  ([2, 3] as const).flatMap((level) =>
    PRODUCTS[level].map((product) => [product, level])
  ),
) as Readonly<Record<Product, Level>>;

/** Extensions of the two objects stored per plot stem. */
export type PlotExtension = "png" | "json";

/** Key of the Level 3 code menu (`GET /code/`). */
export const CODES_KEY = "codes/options.json";

/** Key of the update flags (`GET /flag/`, `POST /flag/`). */
export const FLAGS_KEY = "flags/update_flags.json";

/** Highest sweep index a stem may carry; VCPs have at most 25 cuts. */
export const MAX_SWEEP_INDEX = 99;

const LEVEL2_PREFIX = /^[A-Z]{4}(\d{8})_(\d{6})(?:_V\d{2})?$/;
const LEVEL3_PREFIX = /^[A-Z]{4}(\d{8})_(\d{6})_[A-Z0-9]{3}$/;
const STEM = new RegExp(
  `^(.+?)_(${Object.keys(PRODUCT_LEVEL).join("|")})_idx(0|[1-9]\\d?)$`,
);

/** A plot stem split into its parts. */
export interface PlotStem {
  level: Level;
  /** Volume or product prefix, e.g. `KPDT20250321_010412_V06`. */
  prefix: string;
  product: Product;
  /** 0-based elevation rank of the sweep; always 0 at level 3. */
  sweepIndex: number;
}

/** Returns whether `value` is one of the known product names. */
export function isProduct(value: string): value is Product {
  return Object.hasOwn(PRODUCT_LEVEL, value);
}

/** Parses a level written as exactly "2" or "3"; null for anything else. */
export function parseLevel(value: string): Level | null {
  if (value === "2") return 2;
  if (value === "3") return 3;
  return null;
}

/** Returns whether `prefix` is a valid list key for `level`. */
export function isPrefix(level: Level, prefix: string): boolean {
  return (level === 2 ? LEVEL2_PREFIX : LEVEL3_PREFIX).test(prefix);
}

/**
 * Returns the data time of a prefix as milliseconds since the epoch, or
 * null when the prefix does not parse or names an impossible date.
 */
export function prefixTime(prefix: string): number | null {
  const match = LEVEL2_PREFIX.exec(prefix) ?? LEVEL3_PREFIX.exec(prefix);
  if (match === null) return null;

  const [date, time] = [match[1], match[2]];
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}T` +
    `${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4)}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;

  // Date.parse rolls 2025-02-30 over to March; reject such dates.
  return new Date(ms).toISOString().slice(0, 19) + "Z" === iso ? ms : null;
}

/**
 * Orders prefixes by data time, then by whole key, so that several sites in
 * one list still read chronologically. Unparsable prefixes sort first.
 */
export function comparePrefixes(a: string, b: string): number {
  const timeA = prefixTime(a) ?? -Infinity;
  const timeB = prefixTime(b) ?? -Infinity;
  if (timeA !== timeB) return timeA < timeB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the stem `{prefix}_{product}_idx{k}` shared by a PNG and its JSON. */
export function plotStem(
  prefix: string,
  product: Product,
  sweepIndex: number,
): string {
  const stem = `${prefix}_${product}_idx${sweepIndex}`;
  if (parsePlotStem(PRODUCT_LEVEL[product], stem) === null) {
    throw new TypeError(
      `Cannot build a plot stem from prefix "${prefix}", product ` +
        `"${product}" and sweep index ${sweepIndex}: invalid part`,
    );
  }
  return stem;
}

/**
 * Parses a plot stem for `level`; null unless the prefix, the product and
 * the sweep index all fit that level.
 */
export function parsePlotStem(level: Level, stem: string): PlotStem | null {
  const match = STEM.exec(stem);
  if (match === null) return null;

  const [, prefix, product] = match;
  const sweepIndex = Number(match[3]);
  if (!isProduct(product) || PRODUCT_LEVEL[product] !== level) return null;
  if (!isPrefix(level, prefix)) return null;
  if (level === 3 && sweepIndex !== 0) return null;

  return { level, prefix, product, sweepIndex };
}

/** Builds the key of a plot object from a stem parsed for its level. */
export function plotKey(stem: PlotStem, extension: PlotExtension): string {
  const { level, prefix, product, sweepIndex } = stem;
  return `plots_level${level}/${prefix}_${product}_idx${sweepIndex}.` +
    extension;
}

/** Folder of the plot objects of one level, with its trailing slash. */
export function plotFolder(level: Level): string {
  return `plots_level${level}/`;
}

/** Builds the key of a product's list, e.g. `lists/nexrad_level2_reflectivity_files.json`. */
export function listKey(product: Product): string {
  return `lists/nexrad_level${PRODUCT_LEVEL[product]}_${product}_files.json`;
}

/** Builds the key where the jobs record inputs that failed, per product. */
export function failureKey(product: Product): string {
  return `failures/nexrad_level${
    PRODUCT_LEVEL[product]
  }_${product}_failures.json`;
}

/**
 * Builds the key where the Level 2 job records the real-time volumes it
 * published before their last chunk, per product: the archive pass
 * completes them.
 */
export function partialKey(product: Product): string {
  return `partial/nexrad_level${
    PRODUCT_LEVEL[product]
  }_${product}_partial.json`;
}

const LEGEND_NAME = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

/**
 * Parses the name of a legend: a colour table's name, a letter and up to
 * 31 letters or digits; null for anything else.
 */
export function parseLegendName(value: string): string | null {
  return LEGEND_NAME.test(value) ? value : null;
}

/**
 * Builds the key of a legend object, e.g. `legends/REF.png`.
 *
 * @throws {TypeError} For a name {@linkcode parseLegendName} rejects.
 */
export function legendKey(name: string, extension: PlotExtension): string {
  if (parseLegendName(name) === null) {
    throw new TypeError(
      `Cannot build a legend key from ${JSON.stringify(name.slice(0, 80))}: ` +
        "expected a letter and up to 31 letters or digits",
    );
  }
  return `legends/${name}.${extension}`;
}

/** Maximum key length; S3 allows 1,024 bytes. */
const MAX_KEY_LENGTH = 1024;
const SEGMENT = "[A-Za-z0-9_-][A-Za-z0-9._-]*";
const SAFE_KEY = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);

/**
 * Throws a TypeError unless `key` is safe to hand to any store: at most
 * 1,024 characters in "/"-separated segments of letters, digits, `.`, `_`
 * and `-`, none empty and none starting with a dot. This rules out absolute
 * paths, `.` and `..`, backslashes, NUL and other control characters, and
 * the dot-files where the filesystem store keeps its locks and temporary
 * files.
 */
export function assertSafeKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH || !SAFE_KEY.test(key)) {
    throw new TypeError(
      `Invalid storage key ${JSON.stringify(key.slice(0, 200))}: expected ` +
        "relative segments of letters, digits, '.', '_' or '-'",
    );
  }
}
