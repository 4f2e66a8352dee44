/**
 * Keys of the objects the jobs publish, in the layout of the service this
 * project replaces (the frontend reads them through the API):
 *
 * - `plots_level{2|3}/{stem}.png` and `.json`, where the stem is
 *   `{prefix}_{product}_idx{k}`;
 * - `lists/nexrad_level{2|3}_{product}_files.json`: prefix -> {"sweeps": n};
 * - `flags/update_flags.json` and `codes/options.json`;
 * - `failures/nexrad_level{2|3}_{product}_failures.json`: prefix -> attempts
 *   of the inputs that failed.
 *
 * @module
 */

/** Level of a product: 2 for Archive II volumes, 3 for Level 3 products. */
export type Level = 2 | 3;

/** Key of the update flags. */
export const FLAGS_KEY = "flags/update_flags.json";

/** Key of the Level 3 product code options. */
export const OPTIONS_KEY = "codes/options.json";

/** Returns the key of the list of one product. */
export function listKey(level: Level, product: string): string {
  return `lists/nexrad_level${level}_${product}_files.json`;
}

/** Returns the folder of the images and metadata of one level. */
export function plotFolder(level: Level): string {
  return `plots_level${level}/`;
}

/** Returns the stem of one image: `{prefix}_{product}_idx{index}`. */
export function plotStem(prefix: string, product: string, index: number) {
  return `${prefix}_${product}_idx${index}`;
}

/** Returns the key of one image (`png`) or its metadata (`json`). */
export function plotKey(level: Level, stem: string, extension: "png" | "json") {
  return `${plotFolder(level)}${stem}.${extension}`;
}

/** Returns the key of the failure records of one product. */
export function failureKey(level: Level, product: string): string {
  return `failures/nexrad_level${level}_${product}_failures.json`;
}

/** The parts of a key under `plots_level{2|3}/`. */
export interface PlotKeyParts {
  prefix: string;
  product: string;
  index: number;
}

/** Splits a plot key into prefix, product and index; null for other keys. */
export function parsePlotKey(level: Level, key: string): PlotKeyParts | null {
  const folder = plotFolder(level);
  if (!key.startsWith(folder)) return null;
  const match =
    /^([A-Z0-9]{4}\d{8}_\d{6}_[A-Z0-9]+)_([a-z0-9_]+)_idx(\d+)\.(png|json)$/
      .exec(key.slice(folder.length));
  if (match === null) return null;
  return { prefix: match[1], product: match[2], index: Number(match[3]) };
}

/** Reads the site and time of a stored prefix; null when it has none. */
export function parsePrefix(
  prefix: string,
): { siteId: string; time: Date } | null {
  const match = /^([A-Z0-9]{4})(\d{4})(\d\d)(\d\d)_(\d\d)(\d\d)(\d\d)/.exec(
    prefix,
  );
  if (match === null) return null;
  const [, siteId, y, mo, d, h, mi, s] = match;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  return Number.isNaN(ms) ? null : { siteId, time: new Date(ms) };
}
