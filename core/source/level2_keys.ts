/**
 * Keys of the Level 2 archive bucket (`unidata-nexrad-level2`):
 * `YYYY/MM/DD/SITE/NAME`, one object per volume, where NAME is the ICAO id,
 * the volume start time and a format suffix:
 *
 * - `KLOT20220317_000842_V06`: current objects, no extension;
 * - `KLSX20130206_175044_V06.gz`: gzip or bzip2 wrapped, 2008 to mid-2016
 *   (Unix `compress` `.Z` files of the 1990s are accepted here too; the
 *   decoder tells whether it can read them);
 * - `KABR20050101_000745.gz`: before 2008, no `_Vnn` token;
 * - `TDAL20191021_021543_V08`: TDWR sites, `T` ids;
 * - `KLOT20220317_000842_V06_MDM`: model data, not a volume (skipped);
 * - a trailing `.001` marks a late copy of a volume that is already there.
 *
 * @module
 */

/** A volume object found in the archive. */
export interface Level2Key {
  /** Object key in the bucket. */
  key: string;
  /** ICAO radar identifier, e.g. "KLOT". */
  siteId: string;
  /** Volume start time (UTC) from the name. */
  time: Date;
  /**
   * Name the volume is stored under: `SITEYYYYMMDD_HHMMSS_Vnn`, the object
   * name without compression extension or copy suffix. Names without a
   * `_Vnn` token get `_V00`, so every prefix has the three `_`-separated
   * tokens the frontend's image cache expects.
   */
  prefix: string;
  /** True for a `.001` late copy. */
  copy: boolean;
}

const NAME =
  /^([A-Z]{4})(\d{8})_(\d{6})(?:_(V\d{2}))?(?:\.gz|\.bz2|\.Z)?(\.\d{3})?$/;

/**
 * Parses an archive object name (the part after the last "/"); null for a
 * name that is not a volume (`_MDM` objects, anything unknown).
 */
export function parseLevel2Name(name: string, key = name): Level2Key | null {
  const match = NAME.exec(name);
  if (match === null) return null;
  const [, siteId, date, clock, version, copySuffix] = match;
  const time = parseUtc(date, clock);
  if (time === null) return null;
  const prefix = `${siteId}${date}_${clock}_${version ?? "V00"}`;
  return { key, siteId, time, prefix, copy: copySuffix !== undefined };
}

/** Parses a full archive key; null when it is not a volume of its folder's site. */
export function parseLevel2Key(key: string): Level2Key | null {
  const parts = key.split("/");
  if (parts.length !== 5) return null;
  const parsed = parseLevel2Name(parts[4], key);
  if (parsed === null || parsed.siteId !== parts[3]) return null;
  return parsed;
}

/**
 * Lists the day folders `YYYY/MM/DD/SITE/` that hold the volumes of
 * `site` started between `start` and `end`: one per UTC day touched.
 */
export function level2DayPrefixes(
  site: string,
  start: Date,
  end: Date,
): string[] {
  return utcDays(start, end).map(([y, m, d]) => `${y}/${m}/${d}/${site}/`);
}

/**
 * Keeps the volumes that started inside `[start, end]`, one per prefix
 * (the original object rather than a `.001` copy), in time order.
 */
export function selectLevel2Keys(
  keys: Iterable<string>,
  start: Date,
  end: Date,
): Level2Key[] {
  const byPrefix = new Map<string, Level2Key>();
  for (const key of keys) {
    const parsed = parseLevel2Key(key);
    if (parsed === null) continue;
    if (parsed.time < start || parsed.time > end) continue;
    const seen = byPrefix.get(parsed.prefix);
    if (seen === undefined || (seen.copy && !parsed.copy)) {
      byPrefix.set(parsed.prefix, parsed);
    }
  }
  return [...byPrefix.values()].sort((a, b) =>
    a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0
  );
}

/** Builds a UTC time from `YYYYMMDD` and `HHMMSS`; null when out of range. */
export function parseUtc(date: string, clock: string): Date | null {
  const [y, mo, d] = [date.slice(0, 4), date.slice(4, 6), date.slice(6, 8)]
    .map(Number);
  const [h, mi, s] = [clock.slice(0, 2), clock.slice(2, 4), clock.slice(4, 6)]
    .map(Number);
  const time = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const valid = time.getUTCFullYear() === y && time.getUTCMonth() === mo - 1 &&
    time.getUTCDate() === d && time.getUTCHours() === h &&
    time.getUTCMinutes() === mi && time.getUTCSeconds() === s;
  return valid ? time : null;
}

/** Lists the UTC days from `start` to `end` as zero-padded [YYYY, MM, DD]. */
export function utcDays(start: Date, end: Date): [string, string, string][] {
  const days: [string, string, string][] = [];
  const day = new Date(Date.UTC(
    start.getUTCFullYear(),
    start.getUTCMonth(),
    start.getUTCDate(),
  ));
  while (day <= end) {
    const iso = day.toISOString();
    days.push([iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)]);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}
