/**
 * The Level 3 products the jobs know by type: which product codes make up
 * each type, and the label the frontend's code menu shows for each. The
 * `hydrometeor` and `precipitation` code lists, in menu order, are those
 * of the service this project replaces. Other types can be added by
 * configuration (`L3_PRODUCTS`). N1P, N3P, NTP and N0Q are no longer
 * produced; they stay for replays of past events, and the menu greys out a
 * code without list entries. The 16- and 8-level codes (N0R, N0V, N0S,
 * NSW, the layer composites) are there for replays too, whether or not a
 * radar still makes them.
 *
 * SPD (product 82) is a table of precipitation figures with no image. It
 * stays in the menu as the replaced service listed it, always with count
 * 0, and the jobs never fetch or render it (`image: false`), so it is
 * never recorded as a failure.
 *
 * `codes/options.json` is generated from this catalogue and the lists. The
 * base and dual-polarisation products have names of their own
 * (`base_reflectivity`, `digital_differential_reflectivity`) because the
 * frontend reads `reflectivity` and the other moment names as Level 2.
 *
 * @module
 */

import type { Product } from "../core/storage/keys.ts";

/** One product code of the catalogue. */
export interface CatalogueCode {
  /** Product mnemonic, e.g. "N0H". */
  value: string;
  /** Menu label, e.g. "N0H - Hydrometeor Classification (16 Level / 300 KM) (~ 0.5 Deg)". */
  label: string;
  /**
   * False for a product that has no image by nature (a tabular product):
   * it stays in the menu, with no list entries, but is never fetched.
   */
  image?: false;
}

function code(value: string, name: string, detail: string): CatalogueCode {
  return { value, label: `${value} - ${name} ${detail}` };
}

const L16_300KM = "(16 Level / 300 KM)";
const L256_300KM = "(256 Level / 300 KM)";
const L16 = "(16 Level / 230 KM)";
const L256 = "(256 Level / 230 KM)";
const L16_460KM = "(16 Level / 460 KM)";
const L8 = "(8 Level / 230 KM)";
const L256_460KM = "(256 Level / 460 KM)";

/** The six elevations of the dual-polarisation and digital base codes. */
const SIX_TILTS = [
  ["N0", "0.5"],
  ["N1", "1.5"],
  ["NA", "0.9"],
  ["NB", "1.8"],
  ["N2", "2.4"],
  ["N3", "3.4"],
] as const;

/** The four elevations of the 16-level codes made before dual polarisation. */
const FOUR_TILTS = [
  ["N0", "0.5"],
  ["N1", "1.5"],
  ["N2", "2.4"],
  ["N3", "3.4"],
] as const;

/**
 * Makes the codes of one product at each elevation of `tilts`, in the
 * order of the hydrometeor codes: N0X, N1X, NAX, NBX, N2X, N3X for letter
 * X and six tilts.
 */
function tiltCodes(
  letter: string,
  name: string,
  detail: string,
  tilts: readonly (readonly [string, string])[] = SIX_TILTS,
): CatalogueCode[] {
  return tilts.map(([head, degrees]) =>
    code(`${head}${letter}`, name, `${detail} (~ ${degrees} Deg)`)
  );
}

/** Makes the codes of a dual-polarisation product at its six elevations. */
function dualPolCodes(letter: string, name: string): CatalogueCode[] {
  return tiltCodes(letter, name, L256_300KM);
}

/**
 * Makes the codes of a TDWR product at its first `count` elevations,
 * which differ by site: TZ0, TZ1 and TZ2 for prefix "TZ".
 */
function tdwrCodes(
  prefix: string,
  name: string,
  detail: string,
  count: number,
): CatalogueCode[] {
  return Array.from(
    { length: count },
    (_, tilt) => code(`${prefix}${tilt}`, name, `${detail} (Tilt ${tilt + 1})`),
  );
}

/** Product codes per type, in menu order. */
export const LEVEL3_CATALOGUE: Readonly<
  Partial<Record<Product, CatalogueCode[]>>
> = {
  hydrometeor: [
    code("N0H", "Hydrometeor Classification", `${L16_300KM} (~ 0.5 Deg)`),
    code("N1H", "Hydrometeor Classification", `${L16_300KM} (~ 1.5 Deg)`),
    code("NAH", "Hydrometeor Classification", `${L16_300KM} (~ 0.9 Deg)`),
    code("NBH", "Hydrometeor Classification", `${L16_300KM} (~ 1.8 Deg)`),
    code("N2H", "Hydrometeor Classification", `${L16_300KM} (~ 2.4 Deg)`),
    code("N3H", "Hydrometeor Classification", `${L16_300KM} (~ 3.4 Deg)`),
    code(
      "NXH",
      "Hydrometeor Classification",
      `${L16_300KM} (-0.5 to -0.1 Deg)`,
    ),
    code("NYH", "Hydrometeor Classification", `${L16_300KM} (0.0 to 0.2 Deg)`),
    code("NZH", "Hydrometeor Classification", `${L16_300KM} (0.3 to 0.4 Deg)`),
    code("HHC", "Hybrid Hydrometeor Classification", L16),
  ],
  precipitation: [
    code("N1P", "One Hour Precipitation (PPS)", L16),
    code("N3P", "Three Hour Precipitation (PPS)", L16),
    code("OHA", "One Hour Precipitation (Dual Pol.)", L16),
    code("DAA", "One Hour Precipitation (Dual Pol.)", L256),
    code("DOD", "One Hour Precipitation Difference", L256),
    code("DPR", "Instantaneous Precipitation Rate", L256),
    code("NTP", "Storm Total Precipitation (PPS)", L16),
    code("DSP", "Storm Total Precipitation (PPS)", L256),
    code("PTA", "Storm Total Precipitation (Dual Pol.)", L16),
    code("DTA", "Storm Total Precipitation (Dual Pol.)", L256),
    code("DSD", "Storm Total Precipitation Difference", L256),
    code("DU3", "User-Selectable Precipitation (3 Hour / Hourly)", L256),
    code("DU6", "User-Selectable Precipitation (24 Hour / 12Z)", L256),
    {
      ...code("SPD", "Supplemental Precipitation Data", "(Text)"),
      image: false,
    },
  ],
  base_reflectivity: [
    code(
      "N0B",
      "Super-Res Base Reflectivity",
      "(256 Level / 460 KM) (~ 0.5 Deg)",
    ),
    code("N0Q", "Base Reflectivity", "(256 Level / 460 KM) (~ 0.5 Deg)"),
    ...tiltCodes("Q", "Base Reflectivity", L256_460KM).slice(1),
    ...tiltCodes("R", "Base Reflectivity", L16, FOUR_TILTS),
    code("N0Z", "Base Reflectivity", `${L16_460KM} (~ 0.5 Deg)`),
  ],
  base_velocity: [
    code("N0G", "Super-Res Base Velocity", "(256 Level / 300 KM) (~ 0.5 Deg)"),
    code("N0U", "Base Velocity", "(256 Level / 300 KM) (~ 0.5 Deg)"),
    code("H0V", "Super-Res Base Velocity", `${L256_300KM} (~ 0.5 Deg)`),
    ...tiltCodes("U", "Base Velocity", L256_300KM).slice(1),
    ...tiltCodes("V", "Base Velocity", L16, FOUR_TILTS),
  ],
  storm_relative_velocity: tiltCodes(
    "S",
    "Storm Relative Velocity",
    L16,
    FOUR_TILTS,
  ),
  base_spectrum_width: [
    code("NSW", "Base Spectrum Width", `${L8} (~ 0.5 Deg)`),
    code("NSP", "Base Spectrum Width", "(8 Level / 60 KM) (~ 0.5 Deg)"),
  ],
  composite_reflectivity: [
    code("NCR", "Composite Reflectivity", L16),
    code("NCZ", "Composite Reflectivity", L16_460KM),
  ],
  layer_composite_reflectivity: [
    ["NLL", "Layer 1 Max"],
    ["NML", "Layer 2 Max"],
    ["NHL", "Layer 3 Max"],
    ["NLA", "AP Removed"],
  ].map(([value, layer]) =>
    code(value, "Layer Composite Reflectivity", `(${layer}) ${L8}`)
  ),
  digital_hybrid_reflectivity: [
    code("DHR", "Digital Hybrid Scan Reflectivity", L256),
  ],
  digital_differential_reflectivity: dualPolCodes(
    "X",
    "Digital Differential Reflectivity",
  ),
  digital_correlation_coefficient: [
    ...dualPolCodes("C", "Digital Correlation Coefficient"),
    code(
      "H0C",
      "Super-Res Digital Correlation Coefficient",
      `${L256_300KM} (~ 0.5 Deg)`,
    ),
  ],
  digital_specific_differential_phase: dualPolCodes(
    "K",
    "Digital Specific Differential Phase",
  ),
  echo_tops: [
    code("EET", "Enhanced Echo Tops", "(Digital / 346 KM)"),
    code("NET", "Echo Tops", L16),
  ],
  vertically_integrated_liquid: [
    code("DVL", "High Resolution VIL", "(Digital / 460 KM)"),
    code("NVL", "Vertically Integrated Liquid", L16),
  ],
  tdwr_reflectivity: [
    ...tdwrCodes(
      "TZ",
      "TDWR Digital Base Reflectivity",
      "(256 Level / 90 KM)",
      3,
    ),
    code(
      "TZL",
      "TDWR Long Range Digital Base Reflectivity",
      "(256 Level / 417 KM)",
    ),
    ...tdwrCodes("TR", "TDWR Base Reflectivity", "(16 Level / 90 KM)", 3),
  ],
  tdwr_velocity: tdwrCodes(
    "TV",
    "TDWR Digital Base Velocity",
    "(256 Level / 90 KM)",
    3,
  ),
};

/** A Level 3 product type and the codes the jobs fetch for it. */
export interface Level3Type {
  /** Type name, used in list keys and image stems, e.g. "hydrometeor". */
  type: Product;
  codes: CatalogueCode[];
}

/**
 * Parses `L3_PRODUCTS`: comma-separated types, each either a catalogue
 * type ("hydrometeor", all its codes) or a type with chosen codes
 * ("base_reflectivity:N0B+N0Q").
 *
 * @throws {TypeError} For an unknown type or code, a type or code given
 * twice, or a malformed entry.
 */
export function parseLevel3Types(setting: string): Level3Type[] {
  const entries = setting.split(",").map((entry) => entry.trim()).filter(
    Boolean,
  );
  const types = entries.map((entry) => entry.split(":")[0]);
  const repeated = types.find((type, i) => types.indexOf(type) !== i);
  if (repeated !== undefined) {
    throw new TypeError(
      `Invalid Level 3 product types: "${repeated}" appears twice: give it once, with its codes joined by "+" (TYPE:CODE+CODE)`,
    );
  }
  return entries.map(
    (entry) => {
      const [type, codes, extra] = entry.split(":");
      if (extra !== undefined) {
        throw new TypeError(
          `Invalid Level 3 product type "${entry}": expected TYPE or TYPE:CODE+CODE`,
        );
      }
      const catalogue = Object.hasOwn(LEVEL3_CATALOGUE, type)
        ? LEVEL3_CATALOGUE[type as Product]
        : undefined;
      if (catalogue === undefined) {
        throw new TypeError(
          `Invalid Level 3 product type "${type}": expected one of ${
            Object.keys(LEVEL3_CATALOGUE).join(", ")
          }`,
        );
      }
      if (codes === undefined) {
        return { type: type as Product, codes: catalogue };
      }
      const values = codes.split("+");
      const repeated = values.find((value, i) => values.indexOf(value) !== i);
      if (repeated !== undefined) {
        throw new TypeError(
          `Invalid Level 3 product type "${entry}": code "${repeated}" appears twice`,
        );
      }
      return {
        type: type as Product,
        codes: values.map((value) => {
          const known = catalogue.find((c) => c.value === value);
          if (known === undefined) {
            throw new TypeError(
              `Invalid code "${value}" for Level 3 type "${type}": expected one of ${
                catalogue.map((c) => c.value).join(", ")
              }`,
            );
          }
          return known;
        }),
      };
    },
  );
}
