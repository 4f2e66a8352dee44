/**
 * Turns sweep fragments from the decoder into the model's sweeps: joins
 * fragments of one elevation that a chunk boundary split, attaches the
 * pattern's fixed angles, and labels sweeps that share an angle.
 *
 * @module
 */

import type { Moment, MomentCode } from "../radar/moment.ts";
import { RadialStatus, type Sweep } from "../radar/sweep.ts";
import type { ElevationCut } from "../radar/volume.ts";
import type { SweepFragment } from "./layout.ts";

/** True for the radial status of an elevation's or a volume's last radial. */
export function closesElevation(status: number): boolean {
  return status === RadialStatus.EndOfElevation ||
    status === RadialStatus.EndOfVolume;
}

/** True for the radial status of an elevation's or a volume's first radial. */
export function opensElevation(status: number): boolean {
  return status === RadialStatus.StartOfElevation ||
    status === RadialStatus.StartOfVolume ||
    status === RadialStatus.StartOfLastElevation;
}

/**
 * True when `next` continues the elevation scan of `previous`: same
 * elevation number, `previous` not closed, `next` not opening a new one.
 */
export function continuesFragment(
  previous: SweepFragment,
  next: SweepFragment,
): boolean {
  const last = previous.radialStatus[previous.radialStatus.length - 1];
  return previous.elevationNumber === next.elevationNumber &&
    previous.messageType === next.messageType &&
    !closesElevation(last) && !opensElevation(next.radialStatus[0]);
}

function concatArrays<T extends Float64Array | Float32Array | Uint8Array>(
  parts: T[],
  make: (length: number) => T,
): T {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = make(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

function concatMoment(
  code: MomentCode,
  fragments: SweepFragment[],
): Moment | undefined {
  const present = fragments.flatMap((f) => f.moments[code] ?? []);
  if (present.length === 0) return undefined;
  const first = present[0];
  const gateCount = Math.max(...present.map((m) => m.gateCount));
  const radialCount = fragments.reduce((n, f) => n + f.timesMs.length, 0);
  const raw = first.wordSizeBits === 16
    ? new Uint16Array(radialCount * gateCount)
    : new Uint8Array(radialCount * gateCount);
  const radialGateCounts = new Uint16Array(radialCount);
  let row = 0;
  for (const fragment of fragments) {
    const moment = fragment.moments[code];
    const rows = fragment.timesMs.length;
    if (moment !== undefined && moment.wordSizeBits === first.wordSizeBits) {
      for (let r = 0; r < rows; r++) {
        const gates = moment.radialGateCounts[r];
        radialGateCounts[row + r] = gates;
        const from = r * moment.gateCount;
        raw.set(
          moment.raw.subarray(from, from + gates),
          (row + r) * gateCount,
        );
      }
    }
    row += rows;
  }
  return { ...first, gateCount, raw, radialGateCounts };
}

/** Joins fragments of one elevation scan into one fragment. */
export function joinFragments(fragments: SweepFragment[]): SweepFragment {
  if (fragments.length === 1) return fragments[0];
  const first = fragments[0];
  const moments: Partial<Record<MomentCode, Moment>> = {};
  const codes = new Set(
    fragments.flatMap((f) => Object.keys(f.moments) as MomentCode[]),
  );
  for (const code of codes) {
    const moment = concatMoment(code, fragments);
    if (moment !== undefined) moments[code] = moment;
  }
  return {
    ...first,
    timesMs: concatArrays(
      fragments.map((f) => f.timesMs),
      (n) => new Float64Array(n),
    ),
    azimuthsDeg: concatArrays(
      fragments.map((f) => f.azimuthsDeg),
      (n) => new Float32Array(n),
    ),
    elevationsDeg: concatArrays(
      fragments.map((f) => f.elevationsDeg),
      (n) => new Float32Array(n),
    ),
    azimuthSpacingsDeg: concatArrays(
      fragments.map((f) => f.azimuthSpacingsDeg),
      (n) => new Float32Array(n),
    ),
    radialStatus: concatArrays(
      fragments.map((f) => f.radialStatus),
      (n) => new Uint8Array(n),
    ),
    moments,
    recorded: [...new Set(fragments.flatMap((f) => f.recorded))],
  };
}

/**
 * Groups fragments in file order into elevation scans and joins each.
 * `adjacent(i)` tells whether fragment `i` may continue fragment `i - 1`
 * (false across a missing real-time chunk); by default it always may.
 */
export function joinScans(
  fragments: SweepFragment[],
  adjacent: (index: number) => boolean = () => true,
): SweepFragment[] {
  const groups: SweepFragment[][] = [];
  for (const [index, fragment] of fragments.entries()) {
    const group = groups.at(-1);
    if (
      group !== undefined && adjacent(index) &&
      continuesFragment(group.at(-1)!, fragment)
    ) {
      group.push(fragment);
    } else {
      groups.push([fragment]);
    }
  }
  return groups.map(joinFragments);
}

function mean(values: Float32Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? NaN : sum / values.length;
}

/**
 * Largest difference, in degrees, between two sweeps aimed at one angle.
 * The pattern angles of a split cut are equal, and the measured means of
 * a legacy split cut differ by a few hundredths. Distinct cuts are at
 * least 0.4 degrees apart in every pattern of the test corpus (VCPs 11,
 * 21, 31, 32, 35, 80, 90, 212, 215).
 */
const SAME_ANGLE_DEG = 0.2;

function sameAngle(a: Sweep, b: Sweep): boolean {
  return Math.abs(a.elevationAngleDeg - b.elevationAngleDeg) <= SAME_ANGLE_DEG;
}

/**
 * Labels sweeps that share an elevation angle. A sweep with reflectivity
 * but no velocity followed by one with velocity at the same angle form a
 * split cut (`surveillance`, `doppler`), wherever they occur. Any other
 * sweep at an angle scanned earlier in the volume is a SAILS or MRLE
 * `repeat`, and so is a split cut that repeats an earlier angle.
 *
 * @param recorded Per sweep, the moments its radials carried, by default
 * the moments it has. A decode that kept some moments passes all of them,
 * so the labels do not depend on which were kept.
 */
export function labelRoles(
  sweeps: Sweep[],
  recorded: readonly (readonly MomentCode[])[] = sweeps.map((sweep) =>
    Object.keys(sweep.moments) as MomentCode[]
  ),
): void {
  const carries = (i: number, code: MomentCode) =>
    recorded[i]?.includes(code) ?? false;
  const isSplitCut = (i: number) =>
    i + 1 < sweeps.length && sameAngle(sweeps[i], sweeps[i + 1]) &&
    carries(i, "REF") && !carries(i, "VEL") && carries(i + 1, "VEL");
  for (let i = 0; i < sweeps.length; i++) {
    const sweep = sweeps[i];
    const repeated = sweeps.slice(0, i).some((earlier) =>
      sameAngle(earlier, sweep) && !(earlier.role === "surveillance" &&
        earlier.index === sweep.index - 1 && sweep.role === "doppler")
    );
    if (sweep.role === null && isSplitCut(i) && !repeated) {
      sweep.role = "surveillance";
      sweeps[i + 1].role = "doppler";
    } else if (repeated) {
      sweep.role = "repeat";
    }
  }
}

/** Builds the model's sweeps from joined fragments, in file order. */
export function toSweeps(
  scans: SweepFragment[],
  cuts: ElevationCut[] | null,
): Sweep[] {
  const sweeps = scans.map((scan, index): Sweep => {
    const cut = cuts?.[scan.elevationNumber - 1];
    const elevationMeanDeg = mean(scan.elevationsDeg);
    const fixedAngleDeg = cut?.elevationAngleDeg ?? null;
    const last = scan.radialStatus[scan.radialStatus.length - 1];
    return {
      index,
      elevationNumber: scan.elevationNumber,
      fixedAngleDeg,
      elevationMeanDeg,
      elevationAngleDeg: fixedAngleDeg ?? elevationMeanDeg,
      role: null,
      azimuthsDeg: scan.azimuthsDeg,
      elevationsDeg: scan.elevationsDeg,
      azimuthSpacingsDeg: scan.azimuthSpacingsDeg,
      timesMs: scan.timesMs,
      radialStatus: scan.radialStatus,
      nyquistVelocityMps: scan.nyquistVelocityMps,
      unambiguousRangeKm: scan.unambiguousRangeKm,
      moments: scan.moments,
      complete: closesElevation(last),
    };
  });
  labelRoles(sweeps, scans.map((scan) => scan.recorded));
  return sweeps;
}
