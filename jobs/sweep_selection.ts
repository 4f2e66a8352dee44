/**
 * Which sweeps of a Level 2 volume become the images `idx0..n-1` of one
 * product.
 *
 * The frontend shows a volume as a stack of tilts, `idx0` at the bottom,
 * and labels each with its elevation angle. A volume coverage pattern can
 * scan one elevation several times: a split cut scans it twice (a long
 * pulse repetition time surveillance sweep for reflectivity, then a
 * Doppler sweep for velocity), and SAILS or MRLE repeat the lowest cuts
 * later in the volume. Stacking every sweep would show the same tilt two
 * to four times, so each product gets one image per distinct elevation:
 *
 * - only sweeps whose radials carry the product's moment take part;
 * - sweeps within 0.2 degrees of each other are one elevation (distinct
 *   cuts of the WSR-88D patterns are at least 0.35 degrees apart, while
 *   the two halves of a split cut can differ by a few hundredths when the
 *   angle is the measured mean);
 * - of one elevation, the sweep whose moment reaches farthest wins (the
 *   surveillance sweep for reflectivity: 460 km against 300 km), and among
 *   equals the first in the file (the scheduled cut, not a later repeat);
 * - images go from the lowest elevation up.
 *
 * @module
 */

import type { MomentCode } from "../core/radar/moment.ts";
import type { Sweep } from "../core/radar/sweep.ts";
import type { Product } from "../core/storage/keys.ts";

/** Level 2 products and the ICD moment each one draws. */
export const LEVEL2_PRODUCT_MOMENTS: Readonly<
  Partial<Record<Product, MomentCode>>
> = {
  reflectivity: "REF",
  velocity: "VEL",
  spectrum_width: "SW",
  differential_reflectivity: "ZDR",
  differential_phase: "PHI",
  cross_correlation_ratio: "RHO",
  clutter_filter_power_removed: "CFP",
};

/** Elevations closer than this are the same tilt, degrees. */
const SAME_ELEVATION_DEG = 0.2;

/** Returns the sweeps that make the images of one moment, lowest first. */
export function selectSweeps(
  sweeps: readonly Sweep[],
  code: MomentCode,
): Sweep[] {
  const carrying = sweeps
    .filter((sweep) => carries(sweep, code))
    .sort((a, b) =>
      a.elevationAngleDeg - b.elevationAngleDeg || a.index - b.index
    );

  const groups: Sweep[][] = [];
  for (const sweep of carrying) {
    const group = groups.at(-1);
    const close = group !== undefined &&
      sweep.elevationAngleDeg - group[0].elevationAngleDeg < SAME_ELEVATION_DEG;
    if (close) group.push(sweep);
    else groups.push([sweep]);
  }

  return groups.map((group) =>
    group.reduce((best, sweep) => {
      const reach = reachKm(sweep, code) - reachKm(best, code);
      return reach > 0 || (reach === 0 && sweep.index < best.index)
        ? sweep
        : best;
    })
  );
}

function carries(sweep: Sweep, code: MomentCode): boolean {
  const moment = sweep.moments[code];
  return moment !== undefined && moment.radialGateCounts.some((n) => n > 0);
}

function reachKm(sweep: Sweep, code: MomentCode): number {
  const moment = sweep.moments[code]!;
  return moment.firstGateRangeKm + moment.gateCount * moment.gateIntervalKm;
}
