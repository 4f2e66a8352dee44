/**
 * Level 2 sweep images: one moment of one sweep of a volume, rendered with
 * the metadata JSON the frontend reads beside it.
 *
 * @module
 */

import type { MomentCode } from "../radar/moment.ts";
import { MOMENT_UNITS } from "../radar/moment.ts";
import { siteLocation } from "../radar/sites.ts";
import type { RadarLocation, Volume } from "../radar/volume.ts";
import type { ColourTable } from "./colour_table.ts";
import { linearCodeMapping } from "./palette.ts";
import { defaultColourTable } from "./palettes/default_tables.ts";
import type { BoundingBox, PolarRaster } from "./polar_grid.ts";
import {
  type RenderedRaster,
  type RenderOptions,
  renderPolarRaster,
} from "./render_raster.ts";

/**
 * Metadata stored beside each image. The first five keys are those of the
 * original service, which the frontend reads (it uses
 * `bounding_box_lon_lat` and `elevation_angle_degrees`); the rest are new.
 */
export interface SweepImageMetadata {
  /** 1-based position of the sweep in the file. */
  original_sweep_number?: number;
  /** 1-based rank of the sweep by elevation angle, then file position. */
  elevation_index?: number;
  /** Elevation of the sweep, degrees: the VCP angle when known. */
  elevation_angle_degrees: number;
  /** Azimuth of the first radial, degrees. */
  azimuth_angle_degrees: number;
  /** Image corners as [lon, lat]. */
  bounding_box_lon_lat: Record<keyof BoundingBox, [number, number]>;
  /** ICAO radar identifier. */
  site: string;
  /** Moment or product shown, e.g. "REF". */
  moment: string;
  /** Unit of the values, e.g. "dBZ"; "" for unitless. */
  units: string;
  /** Collection time of the first radial, ISO 8601 UTC. */
  time: string;
  /** Antenna position as [lon, lat]. */
  radar_lon_lat: [number, number];
  /** Ground range the image covers, km. */
  max_range_km: number;
  width: number;
  height: number;
  /** Projection in which rows and columns are evenly spaced. */
  projection: "EPSG:3857";
}

/** Options of {@linkcode renderSweepImage}. */
export interface SweepImageOptions extends RenderOptions {
  /** Colour table; the built-in one of the moment by default. */
  colourTable?: ColourTable;
  /**
   * Antenna location for volumes without one (message 1 data); the site's
   * entry of the radar site table by default.
   */
  location?: RadarLocation;
}

/** A rendered sweep: PNG, metadata and the render details. */
export interface SweepImage extends RenderedRaster {
  metadata: SweepImageMetadata;
}

/**
 * Returns the antenna location of a volume: its own (VOL block), else the
 * entry of its site in the radar site table.
 *
 * @throws {RangeError} The volume has no location (message 1 data) and its
 * site is not in the table.
 */
export function volumeLocation(volume: Volume): RadarLocation {
  const location = volume.location ?? siteLocation(volume.siteId);
  if (location === null && volume.siteId === "") {
    throw new RangeError(
      "Cannot locate the radar: the volume has no radar location (message " +
        "1 data) and no site id in its data or file name; name the file " +
        "after its site as the archive does (KTLX19990503_235621.gz), or " +
        "pass options.location",
    );
  }
  if (location === null) {
    throw new RangeError(
      `Cannot locate radar ${volume.siteId}: the volume has no radar ` +
        "location (message 1 data) and the radar site table has no site " +
        `"${volume.siteId}", so pass options.location`,
    );
  }
  return location;
}

/**
 * Returns a sweep moment as a {@linkcode PolarRaster}, placed at `location`
 * (by default {@linkcode volumeLocation}).
 *
 * @throws {RangeError} The sweep does not exist or lacks the moment, or the
 * volume cannot be located.
 */
export function sweepRaster(
  volume: Volume,
  sweepIndex: number,
  momentCode: MomentCode,
  location?: RadarLocation,
): PolarRaster {
  const sweep = volume.sweeps[sweepIndex];
  if (sweep === undefined) {
    throw new RangeError(
      `Cannot render sweep ${sweepIndex} of ${volume.siteId}: the volume ` +
        `has ${volume.sweeps.length} sweeps`,
    );
  }
  const moment = sweep.moments[momentCode];
  if (moment === undefined) {
    throw new RangeError(
      `Cannot render ${momentCode} of sweep ${sweepIndex} of ` +
        `${volume.siteId}: the sweep carries ` +
        `${Object.keys(sweep.moments).join(", ") || "no moments"}`,
    );
  }
  const { latitudeDeg, longitudeDeg } = location ?? volumeLocation(volume);
  return {
    radarLatitudeDeg: latitudeDeg,
    radarLongitudeDeg: longitudeDeg,
    elevationAngleDeg: sweep.elevationAngleDeg,
    elevationsDeg: sweep.elevationsDeg,
    azimuthsDeg: sweep.azimuthsDeg,
    azimuthSpacingsDeg: sweep.azimuthSpacingsDeg,
    gateCount: moment.gateCount,
    firstGateRangeKm: moment.firstGateRangeKm,
    gateIntervalKm: moment.gateIntervalKm,
    raw: moment.raw,
    radialGateCounts: moment.radialGateCounts,
  };
}

/**
 * Renders moment `momentCode` of sweep `sweepIndex` (0-based, file order)
 * and returns the PNG with its metadata.
 */
export async function renderSweepImage(
  volume: Volume,
  sweepIndex: number,
  momentCode: MomentCode,
  options: SweepImageOptions = {},
): Promise<SweepImage> {
  const location = options.location ?? volumeLocation(volume);
  const raster = sweepRaster(volume, sweepIndex, momentCode, location);
  const sweep = volume.sweeps[sweepIndex];
  const moment = sweep.moments[momentCode]!;
  const table = options.colourTable ?? defaultColourTable(momentCode);
  const mapping = linearCodeMapping(
    moment.scale,
    moment.offset,
    moment.wordSizeBits,
  );
  const rendered = await renderPolarRaster(raster, table, mapping, options);
  const { nw, ne, se, sw } = rendered.boundingBox;
  const firstTime = sweep.timesMs[0];
  const metadata: SweepImageMetadata = {
    original_sweep_number: sweepIndex + 1,
    elevation_index: elevationRank(volume, sweepIndex) + 1,
    elevation_angle_degrees: sweep.elevationAngleDeg,
    azimuth_angle_degrees: sweep.azimuthsDeg[0],
    bounding_box_lon_lat: { nw, ne, se, sw },
    site: volume.siteId,
    moment: momentCode,
    units: MOMENT_UNITS[momentCode],
    time: new Date(
      Number.isFinite(firstTime) ? firstTime : volume.collectedAt.getTime(),
    ).toISOString(),
    radar_lon_lat: [location.longitudeDeg, location.latitudeDeg],
    max_range_km: rendered.maxRangeKm,
    width: rendered.grid.width,
    height: rendered.grid.height,
    projection: "EPSG:3857",
  };
  return { ...rendered, metadata };
}

/** Returns the 0-based rank of a sweep by elevation angle, then position. */
export function elevationRank(volume: Volume, sweepIndex: number): number {
  const angle = volume.sweeps[sweepIndex].elevationAngleDeg;
  return volume.sweeps.filter((sweep, index) =>
    sweep.elevationAngleDeg < angle ||
    (sweep.elevationAngleDeg === angle && index < sweepIndex)
  ).length;
}
