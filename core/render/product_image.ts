/**
 * Level 3 product images: a radial or raster product rendered with the
 * metadata JSON the frontend reads beside it.
 *
 * @module
 */

import { CodeKind, type DataLevelMap, type Product } from "../radar/product.ts";
import type { ColourTable } from "./colour_table.ts";
import { type CodeMapping, tabulatedCodeMapping } from "./palette.ts";
import {
  builtInTableOf,
  defaultColourTable,
  type DefaultTableName,
} from "./palettes/default_tables.ts";
import type { PolarRaster } from "./polar_grid.ts";
import {
  renderCartesianRaster,
  type RenderedRaster,
  type RenderOptions,
  renderPolarRaster,
} from "./render_raster.ts";
import type { SweepImageMetadata } from "./sweep_image.ts";

/** Packet code of the digital precipitation array (HRAP grid). */
const DIGITAL_PRECIPITATION = 17;

/** Options of {@linkcode renderProductImage}. */
export interface ProductImageOptions extends RenderOptions {
  /** Colour table; by default the built-in table for the product's unit. */
  colourTable?: ColourTable;
}

/** Metadata of a product image: the sweep fields without the L2 indices. */
export type ProductImageMetadata = Omit<
  SweepImageMetadata,
  "original_sweep_number" | "elevation_index"
>;

/** A rendered product: PNG, metadata and the render details. */
export interface ProductImage extends RenderedRaster {
  metadata: ProductImageMetadata;
}

/**
 * Renders a radial Level 3 product, or a raster one (packets 0xBA07,
 * 0xBA0F) on its plane centred at the radar (see cartesian_grid.ts).
 *
 * @throws {RangeError} The product has no radial or raster data (graphic,
 * tabular and null products, the HRAP grid of packet 17), no data levels,
 * or no built-in table fits its unit and none is given.
 */
export async function renderProductImage(
  product: Product,
  options: ProductImageOptions = {},
): Promise<ProductImage> {
  const label = product.mnemonic ?? `product ${product.productCode}`;
  const data = product.data;
  if (data === null || (data.kind === "grid" && data.cellSizeKm === null)) {
    throw new RangeError(
      `Cannot render ${label}: it has no radial or raster data (${
        data === null ? "no data array" : `packet ${data.packetCode} grid`
      })`,
    );
  }
  if (data.kind === "grid" && data.packetCode === DIGITAL_PRECIPITATION) {
    throw new RangeError(
      `Cannot render ${label}: packet 17 lies on the HRAP grid, not on a ` +
        "plane centred at the radar",
    );
  }
  if (product.dataLevels === null) {
    throw new RangeError(`Cannot render ${label}: its data levels are unknown`);
  }

  const table = options.colourTable ??
    defaultColourTable(defaultTableFor(product, product.dataLevels));
  const mapping = productCodeMapping(product.dataLevels, data.raw, table);
  // NOTE: products without an elevation (accumulations, hybrid scans) and
  // those combining several (composites, VIL, echo tops) are placed as if
  // their bins were slant ranges at 0 degrees. That puts a bin at 230 km
  // about 55 m nearer than ground range would, and one at 460 km 0.5 km.
  const elevation = product.acrossElevations
    ? 0
    : product.elevationAngleDeg ?? 0;
  const radar = {
    radarLatitudeDeg: product.location.latitudeDeg,
    radarLongitudeDeg: product.location.longitudeDeg,
  };

  let rendered: RenderedRaster;
  let firstAzimuthDeg = 0;
  if (data.kind === "grid") {
    rendered = await renderCartesianRaster(
      {
        ...radar,
        rowCount: data.rowCount,
        columnCount: data.columnCount,
        cellSizeKm: data.cellSizeKm!,
        raw: data.raw,
      },
      table,
      mapping,
      options,
    );
  } else {
    // Level 3 azimuths are radial starts; the resampler wants centres.
    const centres = data.azimuthsDeg.map((start, k) =>
      start + data.azimuthSpacingsDeg[k] / 2
    );
    const raster: PolarRaster = {
      ...radar,
      elevationAngleDeg: elevation,
      azimuthsDeg: centres,
      azimuthSpacingsDeg: data.azimuthSpacingsDeg,
      gateCount: data.gateCount,
      firstGateRangeKm: data.firstGateRangeKm,
      gateIntervalKm: data.gateIntervalKm,
      raw: data.raw,
      radialGateCounts: data.radialGateCounts,
    };
    rendered = await renderPolarRaster(raster, table, mapping, options);
    firstAzimuthDeg = data.azimuthsDeg[0];
  }

  const { nw, ne, se, sw } = rendered.boundingBox;
  return {
    ...rendered,
    metadata: {
      elevation_angle_degrees: elevation,
      azimuth_angle_degrees: firstAzimuthDeg,
      bounding_box_lon_lat: { nw, ne, se, sw },
      site: product.siteId ?? "",
      moment: label,
      units: product.dataLevels.unit,
      time: product.volumeScanTime.toISOString(),
      radar_lon_lat: [
        product.location.longitudeDeg,
        product.location.latitudeDeg,
      ],
      max_range_km: rendered.maxRangeKm,
      width: rendered.grid.width,
      height: rendered.grid.height,
      projection: "EPSG:3857",
    },
  };
}

/**
 * Returns the mapping of a product's codes through its data levels.
 *
 * A level of a 16-level product covers the values from its threshold
 * up to the next level's. One labelled ">X" (above X) takes the value of
 * the table's first stop above X when that lies below the next level. So
 * the ">0.00" level of the precipitation products (any amount below the
 * next level) shows in the table's lowest colour, where 0.00 would be
 * transparent.
 */
function productCodeMapping(
  levels: DataLevelMap,
  raw: Uint8Array | Uint16Array,
  table: ColourTable,
): CodeMapping {
  const codeCount = raw instanceof Uint16Array ? 65536 : 256;
  const values = new Float64Array(codeCount).fill(NaN);
  const folded: number[] = [];
  for (let code = 0; code < Math.min(codeCount, levels.kinds.length); code++) {
    const kind = levels.kinds[code];
    if (kind === CodeKind.Value || kind === CodeKind.ToppedValue) {
      values[code] = levels.values[code];
    } else if (kind === CodeKind.RangeFolded) {
      folded.push(code);
    }
  }
  levels.labels?.forEach((label, code) => {
    if (!label.startsWith(">") || code + 1 >= codeCount) return;
    const stopAbove = table.stops
      .map((stop) => (stop.value - table.offset) / table.scale)
      .find((value) => value > values[code]);
    if (stopAbove !== undefined && stopAbove < values[code + 1]) {
      values[code] = stopAbove;
    }
  });
  return tabulatedCodeMapping(values, folded);
}

/** Returns the built-in table for a product's family of values. */
function defaultTableFor(
  product: Product,
  levels: DataLevelMap,
): DefaultTableName {
  const name = builtInTableOf(product.productCode, levels.unit);
  if (name === undefined) {
    throw new RangeError(
      `Cannot render ${product.mnemonic ?? product.productCode}: no ` +
        `built-in colour table for unit "${levels.unit}", so pass ` +
        "options.colourTable",
    );
  }
  return name;
}
