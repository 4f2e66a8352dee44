/**
 * Decodes a Level 3 (NIDS) product file into a {@linkcode Product}.
 *
 * The wrappers (NOAAPORT, WMO heading, zlib) come off here; the message
 * itself is decoded by the WebAssembly module (`assembly/level3/`), and
 * this module turns its result buffer into the model with the product
 * table and the data level map.
 *
 * @example
 * ```ts
 * const bytes = await Deno.readFile("KLSX_SDUS53_N0RLSX_202105041639");
 * const product = await decodeProduct(bytes, { source: "N0RLSX" });
 * product.data?.kind; // "polar"
 * ```
 *
 * @module
 */

import type { GridRaster, PolarRaster, Product } from "../radar/product.ts";
import { buildDataLevelMap, toInt16 } from "./data_levels.ts";
import { unwrapProduct } from "./framing.ts";
import { type ProductInfo, productInfo } from "./products.ts";
import {
  type DecodedMessage,
  decodeMessage,
  UnsupportedProductError,
} from "./message.ts";
import { siteIdFromAwips } from "./site_id.ts";
import * as layout from "../../assembly/level3/layout.ts";

export { UnsupportedProductError };

/** Options of {@linkcode decodeProduct}. */
export interface DecodeProductOptions {
  /** File name or object key, used in errors and warnings. */
  source?: string;
}

const FEET_TO_METRES = 0.3048;
const MS_PER_DAY = 86_400_000;

/**
 * Decodes one Level 3 product.
 *
 * Graphic and tabular products (storm tracks, hail, mesocyclones, ...)
 * decode to their metadata with `data` null; null products likewise.
 *
 * @param bytes The file or object as stored, with or without NOAAPORT and
 * WMO wrappers, zlib-compressed or not.
 * @param options The source name for messages.
 * @returns The product.
 * @throws {UnsupportedProductError} A General Status or free-text message.
 * @throws {DecodeError} The bytes are truncated or not a Level 3 product.
 */
export function decodeProduct(
  bytes: Uint8Array,
  options: DecodeProductOptions = {},
): Promise<Product> {
  return new Promise((resolve) => resolve(decodeProductSync(bytes, options)));
}

/** The synchronous form of {@linkcode decodeProduct}. */
export function decodeProductSync(
  bytes: Uint8Array,
  options: DecodeProductOptions = {},
): Product {
  const source = options.source ?? "Level 3 product";
  const unwrapped = unwrapProduct(bytes, source);
  if (unwrapped.freeText) {
    throw new UnsupportedProductError(
      "Free-text message (WMO data type NOUS) has no product to decode",
      source,
    );
  }

  const decoded = decodeMessage(unwrapped.message, source);
  const info = productInfo(decoded.slot(layout.SLOT_PRODUCT_CODE));
  const vcp = decoded.slot(layout.SLOT_VCP);
  const hw30 = decoded.dependent[2];
  const codeCount = decoded.slot(layout.SLOT_CODE_BYTES) === 2 ? 65536 : 256;
  const nullProduct = info.nullProductInHalfword30 && (hw30 & 0xff) !== 0;

  return {
    productCode: info.code,
    mnemonic: unwrapped.awipsId?.slice(0, 3) ?? info.mnemonics[0] ?? null,
    name: info.name,
    siteId: siteIdFromAwips(unwrapped.awipsId, info.code, vcp),
    location: {
      latitudeDeg: decoded.slot(layout.SLOT_LATITUDE) / 1000,
      longitudeDeg: decoded.slot(layout.SLOT_LONGITUDE) / 1000,
      heightFt: decoded.slot(layout.SLOT_HEIGHT_FT),
      heightM: decoded.slot(layout.SLOT_HEIGHT_FT) * FEET_TO_METRES,
    },
    messageTime: julianTime(
      decoded.slot(layout.SLOT_MESSAGE_DATE),
      decoded.slot(layout.SLOT_MESSAGE_TIME),
    ),
    volumeScanTime: julianTime(
      decoded.slot(layout.SLOT_VOLUME_DATE),
      decoded.slot(layout.SLOT_VOLUME_TIME),
    ),
    generationTime: julianTime(
      decoded.slot(layout.SLOT_GENERATION_DATE),
      decoded.slot(layout.SLOT_GENERATION_TIME),
    ),
    elevationNumber: decoded.slot(layout.SLOT_ELEVATION_NUMBER),
    elevationAngleDeg: info.elevationInHalfword30 ? toInt16(hw30) / 10 : null,
    acrossElevations: info.acrossElevations,
    vcp,
    operationalMode: decoded.slot(layout.SLOT_OPERATIONAL_MODE),
    sequenceNumber: decoded.slot(layout.SLOT_SEQUENCE_NUMBER),
    volumeScanNumber: decoded.slot(layout.SLOT_VOLUME_SCAN_NUMBER),
    dataLevelThresholds: decoded.thresholds,
    dependentHalfwords: decoded.dependent,
    compressionMethod: info.definesCompression ? decoded.dependent[7] : null,
    uncompressedSizeBytes: info.definesCompression
      ? decoded.dependent[8] * 65536 + decoded.dependent[9]
      : null,
    nullProduct,
    symbologyLayers: decoded.layers,
    dataLevels: buildDataLevelMap(
      info.family,
      decoded.thresholds,
      info.unit,
      codeCount,
    ),
    data: nullProduct ? null : toData(decoded, info),
    warnings: decoded.warnings,
  };
}

/** Converts a Julian date (1 = 1 January 1970) and seconds of day to a Date. */
function julianTime(julianDate: number, seconds: number): Date {
  return new Date((julianDate - 1) * MS_PER_DAY + seconds * 1000);
}

function toData(
  decoded: DecodedMessage,
  info: ProductInfo,
): PolarRaster | GridRaster | null {
  const kind = decoded.slot(layout.SLOT_DATA_KIND);
  const packetCode = decoded.slot(layout.SLOT_DATA_PACKET);
  const rows = decoded.slot(layout.SLOT_RADIAL_COUNT);
  const columns = decoded.slot(layout.SLOT_BIN_COUNT);
  if (kind === layout.DATA_GRID) {
    return {
      kind: "grid",
      packetCode,
      rowCount: rows,
      columnCount: columns,
      cellSizeKm: info.resolutionKm,
      rasterStartIj: [
        decoded.slot(layout.SLOT_I_COORDINATE),
        decoded.slot(layout.SLOT_J_COORDINATE),
      ],
      rasterScaleXy: [
        decoded.slot(layout.SLOT_X_SCALE),
        decoded.slot(layout.SLOT_Y_SCALE),
      ],
      raw: decoded.codes as Uint8Array,
    };
  }
  if (kind !== layout.DATA_RADIAL) return null;

  const rangeScaleFactorRaw = decoded.slot(layout.SLOT_RANGE_SCALE);
  const firstBinIndex = decoded.slot(layout.SLOT_FIRST_BIN);
  let gateIntervalKm: number;
  let firstGateRangeKm: number;
  if (packetCode === 28) {
    gateIntervalKm = decoded.float(layout.SLOT_GATE_WIDTH_M_BITS) / 1000;
    firstGateRangeKm = decoded.float(layout.SLOT_FIRST_GATE_M_BITS) / 1000;
  } else {
    // The range scale factor is unreliable (1 or 999 for 1 km bins), so
    // the bin size comes from the product table.
    gateIntervalKm = info.resolutionKm ?? rangeScaleFactorRaw / 1000;
    firstGateRangeKm = (firstBinIndex + 0.5) * gateIntervalKm;
  }
  return {
    kind: "polar",
    packetCode,
    azimuthsDeg: decoded.azimuthsDeg,
    azimuthSpacingsDeg: decoded.spacingsDeg,
    radialCount: rows,
    gateCount: columns,
    radialGateCounts: decoded.radialGateCounts,
    firstGateRangeKm,
    gateIntervalKm,
    firstBinIndex: packetCode === 28 ? 0 : firstBinIndex,
    rangeScaleFactorRaw: packetCode === 28 ? 0 : rangeScaleFactorRaw,
    raw: decoded.codes,
  };
}
