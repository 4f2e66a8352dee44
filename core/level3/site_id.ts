/**
 * ICAO radar identifiers from the 3-letter site of a Level 3 AWIPS ID.
 *
 * AWIPS IDs drop the ICAO prefix ("N0RLSX" is KLSX). Most WSR-88Ds are K +
 * the 3 letters; the exceptions below are the Alaska, Hawaii, Guam and
 * Puerto Rico radars, and TDWR radars take T.
 *
 * @module
 */

/** WSR-88D sites whose ICAO identifier does not start with K. */
const NON_K_SITES: Readonly<Record<string, string>> = {
  ABC: "PABC",
  ACG: "PACG",
  AEC: "PAEC",
  AHG: "PAHG",
  AIH: "PAIH",
  AKC: "PAKC",
  APD: "PAPD",
  GUA: "PGUA",
  HKI: "PHKI",
  HKM: "PHKM",
  HMO: "PHMO",
  HWA: "PHWA",
  JUA: "TJUA",
};

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
  if (TDWR_PRODUCT_CODES.has(productCode) || TDWR_VCPS.has(vcp)) {
    return "T" + site;
  }
  return NON_K_SITES[site] ?? "K" + site;
}
