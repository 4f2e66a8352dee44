/**
 * A decoded Level 3 (NIDS) product: identity, site, times, the data level
 * map and the data array as raw codes.
 *
 * @module
 */

import type { DecodeWarning } from "../errors.ts";

/** Meaning of a raw code. */
export enum CodeKind {
  /** A physical value. */
  Value = 0,
  /** Signal below the product's threshold (often code 0). */
  BelowThreshold = 1,
  /** No data: missing, blank or not defined. */
  NoData = 2,
  /** Range-folded (ambiguous) echo. */
  RangeFolded = 3,
  /** A value that is a lower bound: the echo top was above the scan. */
  ToppedValue = 4,
}

/** The decoded data levels of a product. */
export interface DataLevelMap {
  /** Unit of `values`, "" for unitless values and class indices. */
  unit: string;
  /** Value of each raw code, NaN where `kinds` is not a value kind. */
  values: Float32Array;
  /** {@linkcode CodeKind} of each raw code. */
  kinds: Uint8Array;
  /** Legend label of each code (legacy and class products), else null. */
  labels: string[] | null;
}

/** Radar location from the product description block. */
export interface ProductLocation {
  /** Latitude, degrees north (halfwords 11-12, thousandths of a degree). */
  latitudeDeg: number;
  /** Longitude, degrees east (halfwords 13-14, thousandths of a degree). */
  longitudeDeg: number;
  /** Site height above mean sea level, feet, as stored (halfword 15). */
  heightFt: number;
  /** The same height in metres. */
  heightM: number;
}

/**
 * Radials of a radial product (packets 16, 0xAF1F and 28).
 *
 * Codes are radial-major: bin `g` of radial `r` is `raw[r * gateCount + g]`.
 * A radial may carry fewer bins than `gateCount`; `radialGateCounts[r]`
 * gives how many, and the codes past that count are 0 but mean "absent".
 */
export interface PolarRaster {
  kind: "polar";
  /** Packet code the radials came from: 16, 0xAF1F or 28. */
  packetCode: number;
  /** Start azimuth of each radial, degrees clockwise from north. */
  azimuthsDeg: Float32Array;
  /** Angular width of each radial, degrees. */
  azimuthSpacingsDeg: Float32Array;
  /** Radials in file order. */
  radialCount: number;
  /** Bins of the longest radial. */
  gateCount: number;
  /** Bins each radial carried. */
  radialGateCounts: Uint16Array;
  /** Range to the centre of the first bin, km. */
  firstGateRangeKm: number;
  /** Distance between bin centres, km. */
  gateIntervalKm: number;
  /** Index of the first range bin as stored (packets 16 and 0xAF1F). */
  firstBinIndex: number;
  /** Range scale factor x 1000 as stored (packets 16 and 0xAF1F), else 0. */
  rangeScaleFactorRaw: number;
  /** Raw codes: 8-bit, or 16-bit for packet 28. */
  raw: Uint8Array | Uint16Array;
}

/**
 * A raster product (packets 0xBA07, 0xBA0F) or the digital precipitation
 * array (packet 17). Codes are row-major, first row north: cell `c` of row
 * `r` is `raw[r * columnCount + c]`.
 */
export interface GridRaster {
  kind: "grid";
  /** Packet code: 0xBA07, 0xBA0F or 17. */
  packetCode: number;
  rowCount: number;
  columnCount: number;
  /** Cell size, km (the product table's resolution). */
  cellSizeKm: number | null;
  /**
   * I and J of the raster's upper-left corner as stored (packets 0xBA07 and
   * 0xBA0F, in the packet's coordinate units); 0 for packet 17.
   */
  rasterStartIj: [number, number];
  /** X and Y scale factors as stored (integer parts); 0 for packet 17. */
  rasterScaleXy: [number, number];
  /** Raw codes. */
  raw: Uint8Array;
}

/** A decoded Level 3 product. */
export interface Product {
  /** Product (message) code, e.g. 94. */
  productCode: number;
  /** Product category, e.g. "N0Q": from the AWIPS ID, else the product table. */
  mnemonic: string | null;
  /** ICD product name. */
  name: string;
  /** ICAO radar identifier, e.g. "KLSX", "PABC", "TDEN"; null if unknown. */
  siteId: string | null;
  /** Radar location from the product description block. */
  location: ProductLocation;
  /** Time of the message header. */
  messageTime: Date;
  /** Start of the volume scan the product was made from. */
  volumeScanTime: Date;
  /** When the product was generated. */
  generationTime: Date;
  /** Elevation number within the volume scan (halfword 29), 0 if none. */
  elevationNumber: number;
  /** Elevation angle, degrees; null if the product is not elevation-based. */
  elevationAngleDeg: number | null;
  /**
   * True when the data combine several elevations (composites, layer
   * maxima, VIL, echo tops): no beam elevation applies, whatever the
   * value of `elevationAngleDeg`.
   */
  acrossElevations: boolean;
  /** Volume coverage pattern. */
  vcp: number;
  /** 0 maintenance, 1 clear air, 2 precipitation. */
  operationalMode: number;
  /** Sequence number (halfword 19). */
  sequenceNumber: number;
  /** Volume scan number, 1-80 (halfword 20). */
  volumeScanNumber: number;
  /** Halfwords 31-46 as unsigned 16-bit integers. */
  dataLevelThresholds: number[];
  /** Product-dependent halfwords 27, 28, 30 and 47-53, unsigned. */
  dependentHalfwords: number[];
  /** Halfword 51 where the product defines it: 0 none, 1 bzip2. */
  compressionMethod: number | null;
  /**
   * Size of the symbology and later blocks once decompressed, bytes, as
   * the product states it (halfwords 52-53); null where not defined.
   */
  uncompressedSizeBytes: number | null;
  /** True when the product flags itself as a null product (no data). */
  nullProduct: boolean;
  /** Packet codes of each symbology layer, in file order. */
  symbologyLayers: number[][];
  /** Code-to-value map; null when the product has no known mapping. */
  dataLevels: DataLevelMap | null;
  /** The data array; null for graphic, tabular and null products. */
  data: PolarRaster | GridRaster | null;
  /** Problems that were skipped while decoding. */
  warnings: DecodeWarning[];
}
