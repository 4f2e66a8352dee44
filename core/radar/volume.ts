/**
 * A Level 2 volume: the site, its volume coverage pattern and its sweeps.
 *
 * @module
 */

import type { DecodeWarning } from "../errors.ts";
import type { Sweep } from "./sweep.ts";

/** Where the antenna is, from the file itself. */
export interface RadarLocation {
  /** Latitude, degrees north (WGS84). */
  latitudeDeg: number;
  /** Longitude, degrees east (WGS84). */
  longitudeDeg: number;
  /** Height of the site above mean sea level, metres. */
  siteHeightM: number;
  /** Height of the feedhorn above the ground, metres. */
  feedhornHeightM: number;
}

/** One entry of a volume coverage pattern (message 5). */
export interface ElevationCut {
  /** Target elevation angle, degrees. */
  elevationAngleDeg: number;
  /** ICD waveform type: 1 surveillance, 2 and 3 Doppler, 4 batch, 5 staggered. */
  waveformType: number;
}

/** The volume coverage pattern of a volume (message 5). */
export interface VolumeCoveragePattern {
  /** Pattern number, e.g. 212. */
  vcpNumber: number;
  /** Cuts in elevation-number order: cut `i` is elevation number `i + 1`. */
  cuts: ElevationCut[];
}

/** A decoded Level 2 volume. */
export interface Volume {
  /** ICAO radar identifier, e.g. "KTLX". */
  siteId: string;
  /** Tape name of the volume header without its dot, e.g. "AR2V0006"; null without a header. */
  archiveVersion: string | null;
  /** Volume start time from the volume header, else the first radial's time. */
  collectedAt: Date;
  /** Antenna location from the VOL block; null for message 1 data. */
  location: RadarLocation | null;
  /** Volume coverage pattern number; null when the data names none. */
  vcpNumber: number | null;
  /** The full pattern from message 5; null when the volume has none. */
  vcp: VolumeCoveragePattern | null;
  /** Sweeps in file order. */
  sweeps: Sweep[];
  /** True when the last radial carries the end-of-volume status. */
  complete: boolean;
  /** Problems that were skipped while decoding. */
  warnings: DecodeWarning[];
}
