/**
 * Data moments of a sweep: raw codes plus the geometry and encoding needed
 * to turn them into physical values.
 *
 * @module
 */

/** ICD data block names of the Level 2 moments (ICD 2620002, Table XVII). */
export type MomentCode = "REF" | "VEL" | "SW" | "ZDR" | "PHI" | "RHO" | "CFP";

/** Moment codes in ICD order. */
export const MOMENT_CODES: readonly MomentCode[] = [
  "REF",
  "VEL",
  "SW",
  "ZDR",
  "PHI",
  "RHO",
  "CFP",
];

/** Raw code for a gate whose signal was below the threshold. */
export const BELOW_THRESHOLD = 0;
/** Raw code for a gate whose echo was range folded. */
export const RANGE_FOLDED = 1;

/** Unit of each moment's physical value. */
export const MOMENT_UNITS: Readonly<Record<MomentCode, string>> = {
  REF: "dBZ",
  VEL: "m/s",
  SW: "m/s",
  ZDR: "dB",
  PHI: "deg",
  RHO: "",
  CFP: "dB",
};

/**
 * One moment of one sweep.
 *
 * Codes are stored radial-major: gate `g` of radial `r` is
 * `raw[r * gateCount + g]`. A radial may carry fewer gates than `gateCount`
 * or none at all; `radialGateCounts[r]` gives how many it carried, and
 * the codes past that count are 0 but mean "absent", not "below threshold".
 * The physical value of a code `c >= 2` is `(c - offset) / scale`.
 */
export interface Moment {
  /** ICD data block name, e.g. "REF". */
  code: MomentCode;
  /** Maximum number of gates of any radial of the sweep. */
  gateCount: number;
  /** Range to the centre of the first gate, km; negative in some legacy data. */
  firstGateRangeKm: number;
  /** Distance between gate centres, km. */
  gateIntervalKm: number;
  /** Bits per raw code: 8 or 16. */
  wordSizeBits: 8 | 16;
  /** Scale of the code-to-value mapping (float32 as stored). */
  scale: number;
  /** Offset of the code-to-value mapping (float32 as stored). */
  offset: number;
  /** Raw codes, `radialCount * gateCount` of them. */
  raw: Uint8Array | Uint16Array;
  /** Gates each radial carried, 0 where the radial has no such moment. */
  radialGateCounts: Uint16Array;
}

/** Converts a raw code to its physical value; NaN for the codes 0 and 1. */
export function momentValue(moment: Moment, code: number): number {
  if (code < 2) return NaN;
  return (code - moment.offset) / moment.scale;
}
