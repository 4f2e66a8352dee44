/**
 * Keys of the Level 3 bucket (`unidata-nexrad-level3`): flat names
 * `SSS_PPP_YYYY_MM_DD_HH_MM_SS` (3-letter site id, product mnemonic, volume
 * time UTC), e.g. `PDT_N0H_2025_03_21_01_04_12`. A product-day is listed with
 * the prefix `SSS_PPP_YYYY_MM_DD_`.
 *
 * @module
 */

import { icaoFromLevel3Id } from "./sites.ts";
import { parseUtc, utcDays } from "./level2_keys.ts";

/** A Level 3 product object found in the archive. */
export interface Level3Key {
  /** Object key in the bucket. */
  key: string;
  /** ICAO radar identifier, e.g. "KPDT" or "PABC". */
  siteId: string;
  /** Product mnemonic, e.g. "N0H". */
  code: string;
  /** Volume time (UTC) from the name. */
  time: Date;
  /** Name the product is stored under: `SITEYYYYMMDD_HHMMSS_PPP`. */
  prefix: string;
}

const KEY =
  /^([A-Z]{3})_([A-Z0-9]{3})_(\d{4})_(\d\d)_(\d\d)_(\d\d)_(\d\d)_(\d\d)$/;

/** Parses a Level 3 key; null for any other name. */
export function parseLevel3Key(key: string): Level3Key | null {
  const match = KEY.exec(key);
  if (match === null) return null;
  const [, id, code, y, mo, d, h, mi, s] = match;
  const time = parseUtc(`${y}${mo}${d}`, `${h}${mi}${s}`);
  if (time === null) return null;
  const siteId = icaoFromLevel3Id(id);
  const prefix = `${siteId}${y}${mo}${d}_${h}${mi}${s}_${code}`;
  return { key, siteId, code, time, prefix };
}

/**
 * Lists the product-day prefixes `SSS_PPP_YYYY_MM_DD_` that hold the
 * products of one site and code between `start` and `end`.
 */
export function level3DayPrefixes(
  level3Id: string,
  code: string,
  start: Date,
  end: Date,
): string[] {
  return utcDays(start, end).map(([y, m, d]) =>
    `${level3Id}_${code}_${y}_${m}_${d}_`
  );
}

/** Keeps the products inside `[start, end]`, in key order. */
export function selectLevel3Keys(
  keys: Iterable<string>,
  start: Date,
  end: Date,
): Level3Key[] {
  const selected: Level3Key[] = [];
  for (const key of keys) {
    const parsed = parseLevel3Key(key);
    if (parsed === null || parsed.time < start || parsed.time > end) continue;
    selected.push(parsed);
  }
  return selected.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
