/**
 * ICAO radar identifiers from the 3-letter site of a Level 3 AWIPS ID.
 *
 * AWIPS IDs drop the ICAO prefix ("N0RLSX" is KLSX). The site table of
 * `core/source/sites.ts` restores it; a TDWR missing from that table is
 * still recognised by its products and volume coverage patterns.
 *
 * @module
 */

import { icaoFromLevel3Id } from "../source/sites.ts";

/** Product codes that only TDWR radars make (ICD 2620001, Table III). */
const TDWR_PRODUCT_CODES = new Set([180, 181, 182, 183, 185, 186, 187]);
/** Volume coverage patterns that only TDWR radars run. */
const TDWR_VCPS = new Set([80, 90]);

/**
 * Returns the ICAO identifier of a product's radar.
 *
 * @param awipsId The AWIPS ID line, e.g. "N0QLSX"; its last 3 characters
 * name the site.
 * @param productCode Product code, to recognise TDWR products.
 * @param vcp Volume coverage pattern, to recognise TDWR scans.
 * @returns e.g. "KLSX", "PABC", "TDEN"; null without a usable AWIPS ID.
 */
export function siteIdFromAwips(
  awipsId: string | null,
  productCode: number,
  vcp: number,
): string | null {
  if (awipsId === null || awipsId.length < 4) return null;
  const site = awipsId.slice(-3);
  if (!/^[A-Z]{3}$/.test(site)) return null;
  const icao = icaoFromLevel3Id(site);
  const tdwr = TDWR_PRODUCT_CODES.has(productCode) || TDWR_VCPS.has(vcp);
  return tdwr && icao.startsWith("K") ? "T" + site : icao;
}
