/**
 * The Level 3 product table: what each product code is and how its
 * description block and data levels are read.
 *
 * Names, mnemonics, ranges and resolutions follow ICD 2620001 Table III
 * ("Message Code for Products") and the product-dependent halfword tables
 * of Figure 3-6 (Table V). Products not listed decode with
 * {@linkcode unknownProduct}: raw codes and metadata, no value mapping.
 *
 * @module
 */

/**
 * Mapping family of a product's raw codes to physical values. Each family
 * is one branch of `buildDataLevelMap` (data_levels.ts).
 *
 * - `legacy`: 16 data levels whose values the threshold halfwords 31-46
 *   spell out, one halfword per level.
 * - `digitalReflectivity`, `digitalVelocity`: minimum and increment (x 10)
 *   and level count in halfwords 31-33; codes 0 and 1 are flags.
 * - `digitalSpectrumWidth`: the same halfwords, levels counted from code
 *   129 (super-resolution spectrum width, 155).
 * - `genericDigital`: float32 scale and offset in halfwords 31-34, maximum
 *   code, leading and trailing flag counts in halfwords 36-38.
 * - `accumulation`: `genericDigital` in hundredths of an inch, reported in
 *   inches.
 * - `stormTotal`: DSP (138), minimum x 10 and increment x 100 in inches.
 * - `precipitationArray`: DPA (81), dBA from minimum x 10 and increment x
 *   1000, codes from 1.
 * - `vil`: DVL (134), linear then logarithmic segments, 16-bit floats.
 * - `echoTops`: EET (135), a data mask, scale, offset and topped-flag mask.
 * - `classification`: hydrometeor classes, code / 10 (165, 177).
 * - `category`: the code itself is the value (clutter filter control).
 * - `none`: no data array, or no mapping known.
 */
export type ProductFamily =
  | "legacy"
  | "digitalReflectivity"
  | "digitalVelocity"
  | "digitalSpectrumWidth"
  | "genericDigital"
  | "accumulation"
  | "stormTotal"
  | "precipitationArray"
  | "vil"
  | "echoTops"
  | "classification"
  | "category"
  | "none";

/** One row of the product table. */
export interface ProductInfo {
  /** Product (message) code. */
  code: number;
  /** ICD product name. */
  name: string;
  /** AWIPS product categories (first 3 characters of the AWIPS ID). */
  mnemonics: readonly string[];
  /** Mapping family of the raw codes to values. */
  family: ProductFamily;
  /** Unit of the mapped values ("" for unitless or class indices). */
  unit: string;
  /** Range bin or grid cell size, km; null without a data array. */
  resolutionKm: number | null;
  /** Maximum range of the data, km; null when not range-based. */
  maxRangeKm: number | null;
  /** True when halfword 30 is the elevation angle x 10. */
  elevationInHalfword30: boolean;
  /** True when halfword 51 is the compression method (0 none, 1 bzip2). */
  definesCompression: boolean;
  /** True when the low byte of halfword 30 is the null-product flag. */
  nullProductInHalfword30: boolean;
  /**
   * True when the data combine several elevations (composites, layer
   * maxima, VIL, echo tops), so no beam elevation applies to them.
   */
  acrossElevations: boolean;
}

type Row = [
  code: number,
  name: string,
  mnemonics: string,
  family: ProductFamily,
  unit: string,
  resolutionKm: number | null,
  maxRangeKm: number | null,
  flags: string,
];

// Flags: "e" elevation in halfword 30, "c" compression in halfword 51,
// "n" null-product flag in halfword 30's low byte, "v" data from several
// elevations (composite, layer and volume products).
// NOTE: the "v" products also get "e": their halfword 30 is reported as an
// angle as MetPy reads it (19.5 is the top elevation of the VCP), where
// Py-ART reports 0. Whether the ICD defines it as an elevation angle for
// them is not verified here. No beam has that elevation, so images draw
// their bins as at 0 degrees (see `acrossElevations`).
// NOTE: no corpus file exercises 16-18, 21-26, 29, 33, 35, 36, 55, 63,
// 64, 89, 93, 95-98, 155, 158, 160, 162, 164, 168, 183, 185 and 187; an
// empty mnemonic or null resolution marks what the table does not know
// (the range scale factor of the radial packet then gives the bin size).
// deno-fmt-ignore
const ROWS: Row[] = [
  [16, "Base Reflectivity", "", "legacy", "dBZ", 1, 230, "e"],
  [17, "Base Reflectivity", "", "legacy", "dBZ", 2, 460, "e"],
  [18, "Base Reflectivity", "", "legacy", "dBZ", 4, 460, "e"],
  [19, "Base Reflectivity", "N0R N1R N2R N3R", "legacy", "dBZ", 1, 230, "e"],
  [20, "Base Reflectivity", "N0Z", "legacy", "dBZ", 2, 460, "e"],
  [21, "Base Reflectivity", "", "legacy", "dBZ", 4, 460, "e"],
  [22, "Base Velocity", "", "legacy", "kt", 0.25, 60, "e"],
  [23, "Base Velocity", "", "legacy", "kt", 0.5, 115, "e"],
  [24, "Base Velocity", "", "legacy", "kt", 1, 230, "e"],
  [25, "Base Velocity", "N0W", "legacy", "kt", 0.25, 60, "e"],
  [26, "Base Velocity", "", "legacy", "kt", 0.5, 115, "e"],
  [27, "Base Velocity", "N0V N1V N2V N3V", "legacy", "kt", 1, 230, "e"],
  [28, "Base Spectrum Width", "NSP", "legacy", "kt", 0.25, 60, "e"],
  [29, "Base Spectrum Width", "", "legacy", "kt", 0.5, 115, "e"],
  [30, "Base Spectrum Width", "NSW", "legacy", "kt", 1, 230, "e"],
  [31, "User Selectable Storm Total Precipitation", "USP", "legacy", "in", 2, 230, "n"],
  [32, "Digital Hybrid Scan Reflectivity", "DHR", "digitalReflectivity", "dBZ", 1, 230, "c"],
  [33, "Hybrid Scan Reflectivity", "HSR", "legacy", "dBZ", 1, 230, ""],
  [34, "Clutter Filter Control", "NC1 NC2 NC3 NC4 NC5", "category", "", 1, 230, ""],
  [35, "Composite Reflectivity", "", "legacy", "dBZ", 1, 230, "ev"],
  [36, "Composite Reflectivity", "", "legacy", "dBZ", 4, 460, "ev"],
  [37, "Composite Reflectivity", "NCR", "legacy", "dBZ", 1, 230, "ev"],
  [38, "Composite Reflectivity", "NCZ", "legacy", "dBZ", 4, 460, "ev"],
  [41, "Echo Tops", "NET", "legacy", "kft", 4, 230, "ev"],
  [48, "VAD Wind Profile", "NVW", "none", "", null, null, ""],
  [55, "Storm Relative Mean Radial Velocity (Region)", "", "legacy", "kt", 0.5, 50, "e"],
  [56, "Storm Relative Mean Radial Velocity", "N0S N1S N2S N3S", "legacy", "kt", 1, 230, "e"],
  [57, "Vertically Integrated Liquid", "NVL", "legacy", "kg/m2", 4, 230, "ev"],
  [58, "Storm Tracking Information", "NST", "none", "", null, 460, ""],
  [59, "Hail Index", "NHI", "none", "", null, 230, ""],
  [61, "Tornado Vortex Signature", "NTV", "none", "", null, 230, ""],
  [62, "Storm Structure", "NSS", "none", "", null, 460, ""],
  [63, "Layer Composite Reflectivity (Layer 1 Average)", "", "legacy", "dBZ", 4, 230, ""],
  [64, "Layer Composite Reflectivity (Layer 2 Average)", "", "legacy", "dBZ", 4, 230, ""],
  [65, "Layer Composite Reflectivity (Layer 1 Max)", "NLL", "legacy", "dBZ", 4, 230, "ev"],
  [66, "Layer Composite Reflectivity (Layer 2 Max)", "NML", "legacy", "dBZ", 4, 230, "ev"],
  [67, "Layer Composite Reflectivity (AP Removed)", "NLA", "legacy", "dBZ", 4, 230, "ev"],
  [74, "Radar Coded Message", "RCM", "none", "", null, 460, ""],
  [75, "Free Text Message", "FTM", "none", "", null, null, ""],
  [78, "Surface Rainfall Accumulation (1 Hour)", "N1P", "legacy", "in", 2, 230, ""],
  [79, "Surface Rainfall Accumulation (3 Hour)", "N3P", "legacy", "in", 2, 230, ""],
  [80, "Storm Total Rainfall Accumulation", "NTP", "legacy", "in", 2, 230, ""],
  [81, "Hourly Digital Precipitation Array", "DPA", "precipitationArray", "dBA", 4.7625, 230, ""],
  [82, "Supplemental Precipitation Data", "SPD", "none", "", null, null, ""],
  [89, "Layer Composite Reflectivity (Layer 3 Average)", "", "legacy", "dBZ", 4, 230, ""],
  [90, "Layer Composite Reflectivity (Layer 3 Max)", "NHL", "legacy", "dBZ", 4, 230, "ev"],
  [93, "ITWS Digital Base Velocity", "", "digitalVelocity", "m/s", null, 115, "e"],
  [94, "Base Reflectivity Data Array", "N0Q N1Q N2Q N3Q NAQ NBQ", "digitalReflectivity", "dBZ", 1, 460, "ec"],
  [95, "Composite Reflectivity Edited for AP", "", "legacy", "dBZ", 1, 230, "ev"],
  [96, "Composite Reflectivity Edited for AP", "", "legacy", "dBZ", 4, 460, "ev"],
  [97, "Composite Reflectivity Edited for AP", "", "legacy", "dBZ", 1, 230, "ev"],
  [98, "Composite Reflectivity Edited for AP", "", "legacy", "dBZ", 4, 460, "ev"],
  [99, "Base Velocity Data Array", "N0U N1U N2U N3U NAU NBU", "digitalVelocity", "m/s", 0.25, 300, "ec"],
  [113, "Power Removed Control", "N0F NXF", "legacy", "", 0.25, 300, "ec"],
  [134, "High Resolution VIL", "DVL", "vil", "kg/m2", 1, 460, "ecv"],
  [135, "Enhanced Echo Tops", "EET", "echoTops", "kft", 1, 346, "ecv"],
  [138, "Digital Storm Total Precipitation", "DSP", "stormTotal", "in", 2, 230, "c"],
  [141, "Mesocyclone Detection", "NMD", "none", "", null, 230, ""],
  [152, "Archive III Status Product", "RSL", "none", "", null, null, "c"],
  [153, "Super Resolution Reflectivity Data Array", "N0B N1B N2B N3B", "digitalReflectivity", "dBZ", 0.25, 460, "ec"],
  [154, "Super Resolution Velocity Data Array", "N0G N1G N2G N3G H0V", "digitalVelocity", "m/s", 0.25, 300, "ec"],
  [155, "Super Resolution Spectrum Width Data Array", "", "digitalSpectrumWidth", "m/s", 0.25, 300, "ec"],
  [158, "Differential Reflectivity", "", "legacy", "dB", null, 230, "e"],
  [159, "Digital Differential Reflectivity", "N0X N1X N2X N3X NAX NBX", "genericDigital", "dB", 0.25, 300, "ec"],
  [160, "Correlation Coefficient", "", "legacy", "", null, 230, "e"],
  [161, "Digital Correlation Coefficient", "N0C N1C N2C N3C NAC NBC", "genericDigital", "", 0.25, 300, "ec"],
  [162, "Specific Differential Phase", "", "legacy", "deg/km", null, 230, "e"],
  [163, "Digital Specific Differential Phase", "N0K N1K N2K N3K NAK NBK", "genericDigital", "deg/km", 0.25, 300, "ec"],
  [164, "Hydrometeor Classification", "", "legacy", "", null, 230, "e"],
  [165, "Digital Hydrometeor Classification", "N0H N1H N2H N3H NAH NBH NXH NYH NZH", "classification", "", 0.25, 300, "ec"],
  [166, "Melting Layer", "N0M N1M N2M N3M NAM NBM", "none", "", null, 230, "e"],
  [167, "Super Resolution Digital Correlation Coefficient", "H0C", "genericDigital", "", 0.25, 300, "ec"],
  [168, "Digital Differential Phase", "", "genericDigital", "deg", 0.25, 300, "ec"],
  [169, "One Hour Accumulation", "OHA", "legacy", "in", 2, 230, "n"],
  [170, "Digital Accumulation Array", "DAA", "accumulation", "in", 0.25, 230, "cn"],
  [171, "Storm Total Accumulation", "PTA", "legacy", "in", 2, 230, "n"],
  [172, "Digital Storm Total Accumulation", "DTA", "accumulation", "in", 0.25, 230, "cn"],
  [173, "Digital User-Selectable Accumulation", "DU3 DU6", "accumulation", "in", 0.25, 230, "cn"],
  [174, "Digital One-Hour Difference Accumulation", "DOD", "accumulation", "in", 0.25, 230, "c"],
  [175, "Digital Storm Total Difference Accumulation", "DSD", "accumulation", "in", 0.25, 230, "cn"],
  [176, "Digital Instantaneous Precipitation Rate", "DPR", "genericDigital", "in/h", 0.25, 230, "c"],
  [177, "Hybrid Hydrometeor Classification", "HHC", "classification", "", 0.25, 230, "c"],
  [180, "TDWR Digital Base Reflectivity", "TZ0 TZ1 TZ2", "digitalReflectivity", "dBZ", 0.15, 90, "ec"],
  [181, "TDWR Base Reflectivity", "TR0 TR1 TR2", "legacy", "dBZ", 0.15, 90, "e"],
  [182, "TDWR Digital Base Velocity", "TV0 TV1 TV2", "digitalVelocity", "m/s", 0.15, 90, "ec"],
  [183, "TDWR Base Velocity", "", "legacy", "kt", 0.15, 90, "e"],
  [185, "TDWR Base Spectrum Width", "", "legacy", "kt", 0.15, 90, "e"],
  [186, "TDWR Long Range Digital Base Reflectivity", "TZL", "digitalReflectivity", "dBZ", 0.3, 416, "ec"],
  [187, "TDWR Long Range Base Reflectivity", "", "legacy", "dBZ", 0.3, 416, "e"],
];

function toInfo(row: Row): ProductInfo {
  const [code, name, mnemonics, family, unit, resolutionKm, maxRangeKm, flags] =
    row;
  return {
    code,
    name,
    mnemonics: mnemonics.split(" ").filter((mnemonic) => mnemonic !== ""),
    family,
    unit,
    resolutionKm,
    maxRangeKm,
    elevationInHalfword30: flags.includes("e"),
    definesCompression: flags.includes("c"),
    nullProductInHalfword30: flags.includes("n"),
    acrossElevations: flags.includes("v"),
  };
}

/** The product table keyed by product code. */
export const PRODUCTS: ReadonlyMap<number, ProductInfo> = new Map(
  ROWS.map((row) => [row[0], toInfo(row)]),
);

const BY_MNEMONIC: ReadonlyMap<string, ProductInfo> = new Map(
  [...PRODUCTS.values()].flatMap((info) =>
    info.mnemonics.map((mnemonic) => [mnemonic, info])
  ),
);

/** Looks a product up by AWIPS mnemonic, e.g. "N0Q"; undefined if unlisted. */
export function productOfMnemonic(mnemonic: string): ProductInfo | undefined {
  return BY_MNEMONIC.get(mnemonic);
}

/** Returns a placeholder row for a product code the table does not list. */
export function unknownProduct(code: number): ProductInfo {
  return toInfo([code, `Product ${code}`, "", "none", "", null, null, ""]);
}

/** Looks a product up by code, falling back to {@linkcode unknownProduct}. */
export function productInfo(code: number): ProductInfo {
  return PRODUCTS.get(code) ?? unknownProduct(code);
}
