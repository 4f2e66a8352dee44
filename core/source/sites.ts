/**
 * Radar identifiers: the 4-letter ICAO id of a site and the 3-letter id
 * that Level 3 file names and the `unidata-nexrad-level3` keys use.
 *
 * Most WSR-88D sites are `K` + the 3 letters, but not all. Alaska, Hawaii,
 * Guam and Puerto Rico sites start with `P` or `T`, and the overseas
 * military sites with `L` or `R`. The Terminal Doppler Weather Radars
 * (TDWR) all start with `T`. Their 3-letter ids do not collide with any `K` site.
 *
 * @module
 */

import { RADAR_SITES } from "../radar/sites.ts";

/**
 * 3-letter ids of the sites whose ICAO id is not `K` + 3 letters, from the
 * radar site table. None of them is also the tail of a `K` id.
 */
const ICAO_BY_LEVEL3_ID = new Map(
  [...RADAR_SITES.keys()]
    .filter((icao) => !icao.startsWith("K"))
    .map((icao) => [icao.slice(1), icao]),
);

/** Returns the ICAO id of a 3-letter Level 3 site id, e.g. "PDT" -> "KPDT". */
export function icaoFromLevel3Id(id: string): string {
  return ICAO_BY_LEVEL3_ID.get(id) ?? `K${id}`;
}

/**
 * Returns why a Level 3 site id is invalid, or null for a 3-letter id or
 * the ICAO id of one. KSTL is invalid because STL is TSTL. An ICAO id
 * missing from the table is invalid unless it is K and its 3-letter id,
 * because the keys carry only those 3 letters.
 */
export function level3SiteProblem(site: string): string | null {
  if (/^[A-Z]{3}$/.test(site)) return null;
  if (!/^[A-Z]{4}$/.test(site)) {
    return "expected a 4-letter ICAO id such as KPDT or a 3-letter id such as PDT";
  }
  const id = site.slice(1);
  const icao = icaoFromLevel3Id(id);
  if (icao === site) return null;
  return RADAR_SITES.has(icao)
    ? `Level 3 id ${id} is the radar ${icao}, so expected ${icao} or ${id}`
    : `${site} is not in the radar site table, so expected its 3-letter ` +
      `id ${id}`;
}

/**
 * Returns a warning naming the sites of `sites` (ICAO ids, or 3-letter
 * Level 3 ids) that the radar site table lacks, or null when it has them
 * all. `setting` names where they came from, e.g. "RADAR_SITE_L2". Such a
 * site is not rejected: the archive may hold a radar newer than the table.
 */
export function unknownSitesWarning(
  setting: string,
  sites: readonly string[],
): string | null {
  const unknown = sites.filter((site) =>
    !RADAR_SITES.has(site.length === 3 ? icaoFromLevel3Id(site) : site)
  );
  if (unknown.length === 0) return null;
  return `${setting}: ${unknown.join(", ")} not in the radar site table ` +
    "(NCEI's NEXRAD and TDWR list); check the id, as the archive has no " +
    "data under a wrong one";
}

/**
 * Returns the 3-letter Level 3 id of a site given by its ICAO id ("KPDT")
 * or already by its 3-letter id ("PDT").
 *
 * @throws {TypeError} For an id {@linkcode level3SiteProblem} rejects.
 */
export function level3IdOf(site: string): string {
  const problem = level3SiteProblem(site);
  if (problem !== null) {
    throw new TypeError(`Invalid radar site "${site}": ${problem}`);
  }
  return site.slice(-3);
}

/**
 * Upper-cases ASCII letters only, so that a non-ASCII letter whose upper
 * case is ASCII ("ı" to "I") still fails an ASCII pattern.
 */
export function asciiUpperCase(text: string): string {
  return text.replace(/[a-z]/g, (letter) => letter.toUpperCase());
}
