// Collects the radials of one sweep fragment (consecutive radials with one
// elevation number) and hands it to the TypeScript side as a sweep section
// of layout.ts.
//
// Moments are staged per radial with each radial's own gate count. When the
// fragment ends, the section describes the fragment and points at the
// staged codes, and the imported level2Sweep copies them out, padding
// shorter radials to the largest gate count with zeros, before the next
// radial overwrites them. So linear memory contains one copy of a sweep, not
// a staged one and a laid-out one. The gate counts travel with the codes
// so padding never reads as "below threshold".

import { align8, GrowableBuffer } from "./bytes";
import {
  MOMENT_CODES_POINTER,
  MOMENT_FIRST_GATE_KM,
  MOMENT_GATE_COUNT,
  MOMENT_GATE_INTERVAL_KM,
  MOMENT_INDEX,
  MOMENT_KINDS,
  MOMENT_OFFSET,
  MOMENT_SCALE,
  MOMENT_SLOTS,
  MOMENT_WORD_SIZE_BITS,
  SWEEP_ELEVATION_NUMBER,
  SWEEP_MESSAGE_TYPE,
  SWEEP_MOMENT_COUNT,
  SWEEP_NYQUIST_MPS,
  SWEEP_RADIAL_COUNT,
  SWEEP_SLOTS,
  SWEEP_UNAMBIGUOUS_RANGE_KM,
  W_BAD_RADIAL,
  W_MOMENT_WORD_SIZE_CHANGED,
} from "./layout";
import { Warnings } from "./warnings";

/**
 * Takes a finished sweep section (TypeScript side, core/level2/decode.ts).
 * It must copy out everything it keeps before it returns. Declared without
 * the `@external` decorator (which deno fmt removes), the function is
 * imported from the module named after this file: "sweep_builder".
 */
declare function level2Sweep(section: usize): void;

/** Radial status codes that open a new elevation (ICD 2620002, Table XVII-A). */
function startsElevation(status: i32): bool {
  return status == 0 || status == 3 || status == 5;
}

class MomentStage {
  present: bool = false;
  codes: GrowableBuffer = new GrowableBuffer();
  gateCounts: GrowableBuffer = new GrowableBuffer();
  maxGates: i32 = 0;
  wordBytes: i32 = 1;
  firstGateKm: f64 = 0;
  gateIntervalKm: f64 = 0;
  scale: f64 = 0;
  offset: f64 = 0;

  reset(): void {
    this.present = false;
    this.codes.clear();
    this.gateCounts.clear();
    this.maxGates = 0;
  }

  release(): void {
    this.codes.release();
    this.gateCounts.release();
  }

  sectionBytes(radialCount: i32): i32 {
    return MOMENT_SLOTS * 8 + align8(radialCount * 2);
  }
}

export class SweepBuilder {
  elevationNumber: i32 = -1;
  messageType: i32 = 0;
  radialCount: i32 = 0;
  nyquistMps: f64 = NaN;
  unambiguousRangeKm: f64 = NaN;
  times: GrowableBuffer = new GrowableBuffer();
  azimuths: GrowableBuffer = new GrowableBuffer();
  elevations: GrowableBuffer = new GrowableBuffer();
  spacings: GrowableBuffer = new GrowableBuffer();
  statuses: GrowableBuffer = new GrowableBuffer();
  moments: StaticArray<MomentStage> = new StaticArray<MomentStage>(
    MOMENT_KINDS,
  );
  /** Sections handed to level2Sweep so far. */
  finishedCount: i32 = 0;
  lastStatus: i32 = -1;
  /** Bit i set: the codes of moment i are staged and handed over. */
  codeMask: i32;

  constructor(codeMask: i32) {
    this.codeMask = codeMask;
    for (let i = 0; i < MOMENT_KINDS; i++) this.moments[i] = new MomentStage();
  }

  /**
   * Starts a radial, first closing the current fragment when the radial
   * belongs to another elevation or opens a new one.
   */
  beginRadial(
    messageType: i32,
    elevationNumber: i32,
    status: i32,
    timeMs: f64,
    azimuthDeg: f32,
    elevationDeg: f32,
    spacingDeg: f32,
  ): void {
    if (
      this.radialCount > 0 &&
      (elevationNumber != this.elevationNumber ||
        messageType != this.messageType || startsElevation(status))
    ) {
      this.finish();
    }
    this.elevationNumber = elevationNumber;
    this.messageType = messageType;
    this.radialCount++;
    this.lastStatus = status;
    store<f64>(this.times.reserve(8), timeMs);
    this.times.length += 8;
    store<f32>(this.azimuths.reserve(4), azimuthDeg);
    this.azimuths.length += 4;
    store<f32>(this.elevations.reserve(4), elevationDeg);
    this.elevations.length += 4;
    store<f32>(this.spacings.reserve(4), spacingDeg);
    this.spacings.length += 4;
    store<u8>(this.statuses.reserve(1), <u8> status);
    this.statuses.length += 1;
    for (let i = 0; i < MOMENT_KINDS; i++) {
      const stage = unchecked(this.moments[i]);
      if (stage.present) stage.gateCounts.appendZeros(2);
    }
  }

  /**
   * Radials in a full rotation at the first radial's azimuth spacing,
   * plus a few, since legacy sweeps run to 368 radials of 1 degree.
   */
  private expectedRadials(): i32 {
    const spacing = load<f32>(this.spacings.pointer);
    return (spacing > 0 && spacing < 1 ? 720 : 360) + 8;
  }

  /**
   * Records the first radial's Nyquist velocity and unambiguous range. A
   * zero means the radial has none (surveillance cuts of message 1, TDWR),
   * so it is stored as NaN.
   */
  setRadialLimits(nyquistMps: f64, unambiguousRangeKm: f64): void {
    if (this.radialCount != 1) return;
    this.nyquistMps = nyquistMps > 0 ? nyquistMps : NaN;
    this.unambiguousRangeKm = unambiguousRangeKm > 0 ? unambiguousRangeKm : NaN;
  }

  /** Adds one moment of the current radial; `codes` points at its gates. */
  addMoment(
    index: i32,
    codes: usize,
    gateCount: i32,
    wordSizeBits: i32,
    firstGateKm: f64,
    gateIntervalKm: f64,
    scale: f64,
    offset: f64,
    warnings: Warnings,
    warningOffset: f64,
    messageType: i32,
  ): void {
    const stage = unchecked(this.moments[index]);
    const wordBytes = wordSizeBits >> 3;
    const keepCodes = this.keepsCodes(index);
    if (!stage.present) {
      stage.present = true;
      if (keepCodes) {
        stage.codes.ensureCapacity(
          this.expectedRadials() * gateCount * wordBytes,
        );
      }
      stage.gateCounts.ensureCapacity(this.expectedRadials() * 2);
      stage.wordBytes = wordBytes;
      stage.firstGateKm = firstGateKm;
      stage.gateIntervalKm = gateIntervalKm;
      stage.scale = scale;
      stage.offset = offset;
      stage.gateCounts.appendZeros(2 * this.radialCount);
    } else if (stage.wordBytes != wordBytes) {
      warnings.add(
        W_MOMENT_WORD_SIZE_CHANGED,
        warningOffset,
        messageType,
        <f64> wordSizeBits,
      );
      return;
    }
    const slot = stage.gateCounts.pointer +
      <usize> (2 * (this.radialCount - 1));
    if (load<u16>(slot) != 0) {
      // A second block of the same moment in one radial.
      warnings.add(W_BAD_RADIAL, warningOffset, messageType, <f64> index);
      return;
    }
    store<u16>(slot, <u16> gateCount);
    if (gateCount > stage.maxGates) stage.maxGates = gateCount;
    if (!keepCodes) return;
    if (wordBytes == 1) {
      stage.codes.append(codes, gateCount);
    } else {
      // Message 31 stores 16-bit words big-endian; the section is
      // little-endian like every typed array on the TypeScript side.
      const target = stage.codes.reserve(gateCount * 2);
      for (let g = 0; g < gateCount; g++) {
        const at = <usize> (g << 1);
        store<u16>(target + at, bswap<u16>(load<u16>(codes + at)));
      }
      stage.codes.length += gateCount * 2;
    }
  }

  /** Returns true when the codes of moment `index` are staged. */
  @inline
  private keepsCodes(index: i32): bool {
    return (this.codeMask >> index & 1) != 0;
  }

  /** Hands the current fragment to level2Sweep, if it has radials. */
  finish(): void {
    const n = this.radialCount;
    if (n == 0) return;
    let momentCount = 0;
    let size = SWEEP_SLOTS * 8 + n * 8 + 3 * align8(n * 4) + align8(n);
    for (let i = 0; i < MOMENT_KINDS; i++) {
      const stage = unchecked(this.moments[i]);
      if (!stage.present) continue;
      momentCount++;
      size += stage.sectionBytes(n);
    }

    const section = new ArrayBuffer(size);
    const base = changetype<usize>(section);
    store<f64>(base + SWEEP_ELEVATION_NUMBER * 8, <f64> this.elevationNumber);
    store<f64>(base + SWEEP_RADIAL_COUNT * 8, <f64> n);
    store<f64>(base + SWEEP_MOMENT_COUNT * 8, <f64> momentCount);
    store<f64>(base + SWEEP_NYQUIST_MPS * 8, this.nyquistMps);
    store<f64>(base + SWEEP_UNAMBIGUOUS_RANGE_KM * 8, this.unambiguousRangeKm);
    store<f64>(base + SWEEP_MESSAGE_TYPE * 8, <f64> this.messageType);
    let at = base + SWEEP_SLOTS * 8;
    memory.copy(at, this.times.pointer, <usize> (n * 8));
    at += <usize> (n * 8);
    memory.copy(at, this.azimuths.pointer, <usize> (n * 4));
    at += <usize> align8(n * 4);
    memory.copy(at, this.elevations.pointer, <usize> (n * 4));
    at += <usize> align8(n * 4);
    memory.copy(at, this.spacings.pointer, <usize> (n * 4));
    at += <usize> align8(n * 4);
    memory.copy(at, this.statuses.pointer, <usize> n);
    at += <usize> align8(n);

    for (let i = 0; i < MOMENT_KINDS; i++) {
      const stage = unchecked(this.moments[i]);
      if (!stage.present) continue;
      at = this.writeMoment(i, stage, at);
    }

    level2Sweep(base);
    // The section is garbage once level2Sweep has copied it out. It is a
    // few kilobytes, so it is left to the incremental collector.
    this.finishedCount++;
    this.resetFragment();
  }

  private writeMoment(index: i32, stage: MomentStage, at: usize): usize {
    const n = this.radialCount;
    store<f64>(at + MOMENT_INDEX * 8, <f64> index);
    store<f64>(at + MOMENT_GATE_COUNT * 8, <f64> stage.maxGates);
    store<f64>(at + MOMENT_FIRST_GATE_KM * 8, stage.firstGateKm);
    store<f64>(at + MOMENT_GATE_INTERVAL_KM * 8, stage.gateIntervalKm);
    store<f64>(at + MOMENT_WORD_SIZE_BITS * 8, <f64> (stage.wordBytes * 8));
    store<f64>(at + MOMENT_SCALE * 8, stage.scale);
    store<f64>(at + MOMENT_OFFSET * 8, stage.offset);
    const codes = this.keepsCodes(index) ? stage.codes.pointer : 0;
    store<f64>(at + MOMENT_CODES_POINTER * 8, <f64> codes);
    at += MOMENT_SLOTS * 8;
    memory.copy(at, stage.gateCounts.pointer, <usize> (n * 2));
    return at + <usize> align8(n * 2);
  }

  private resetFragment(): void {
    this.radialCount = 0;
    this.nyquistMps = NaN;
    this.unambiguousRangeKm = NaN;
    this.times.clear();
    this.azimuths.clear();
    this.elevations.clear();
    this.spacings.clear();
    this.statuses.clear();
    for (let i = 0; i < MOMENT_KINDS; i++) unchecked(this.moments[i]).reset();
  }

  /** Frees the staging memory. */
  release(): void {
    this.times.release();
    this.azimuths.release();
    this.elevations.release();
    this.spacings.release();
    this.statuses.release();
    for (let i = 0; i < MOMENT_KINDS; i++) unchecked(this.moments[i]).release();
  }
}
