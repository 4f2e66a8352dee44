/**
 * One elevation scan: the radials of one elevation number, in file order.
 *
 * @module
 */

import type { Moment, MomentCode } from "./moment.ts";

/** Radial status codes (ICD 2620002, message 31 header). */
export enum RadialStatus {
  StartOfElevation = 0,
  Intermediate = 1,
  EndOfElevation = 2,
  StartOfVolume = 3,
  EndOfVolume = 4,
  StartOfLastElevation = 5,
}

/**
 * Why a sweep shares its elevation angle with another sweep of the volume.
 *
 * - `surveillance` and `doppler`: the two halves of a split cut, the first
 *   (long pulse repetition time, REF) and the second (VEL, SW).
 * - `repeat`: a SAILS or MRLE low cut repeated later in the volume.
 * - `null`: the only sweep at its angle.
 */
export type SweepRole = "surveillance" | "doppler" | "repeat" | null;

/** One elevation scan of a volume. */
export interface Sweep {
  /** Position in the file, 0-based. */
  index: number;
  /** Elevation number from the radial headers, 1-based. */
  elevationNumber: number;
  /** Target angle from the volume coverage pattern, degrees; null without one. */
  fixedAngleDeg: number | null;
  /** Mean measured elevation of the radials, degrees. */
  elevationMeanDeg: number;
  /** Fixed angle when known, else the mean measured elevation, degrees. */
  elevationAngleDeg: number;
  /** Why this sweep shares its angle with another, or null. */
  role: SweepRole;
  /** Azimuth of each radial, degrees clockwise from north, 0 to 360. */
  azimuthsDeg: Float32Array;
  /** Measured elevation of each radial, degrees. */
  elevationsDeg: Float32Array;
  /** Azimuthal spacing of each radial, degrees (0.5 or 1 on WSR-88D). */
  azimuthSpacingsDeg: Float32Array;
  /** Collection time of each radial, milliseconds since the Unix epoch. */
  timesMs: Float64Array;
  /** Radial status code of each radial, see {@linkcode RadialStatus}. */
  radialStatus: Uint8Array;
  /** Nyquist velocity of the sweep, m/s; null where the data has none. */
  nyquistVelocityMps: number | null;
  /** Unambiguous range of the sweep, km; null where the data has none. */
  unambiguousRangeKm: number | null;
  /** Moments carried by at least one radial, keyed by ICD block name. */
  moments: Partial<Record<MomentCode, Moment>>;
  /** True when the sweep's last radial ends the elevation or the volume. */
  complete: boolean;
}
