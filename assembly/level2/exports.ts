// The Level 2 functions that build/nexrad.wasm exports to core/level2/.
//
// One decode, all in one synchronous run on the TypeScript side:
// level2Begin(input, last, codeMask, keepStorage), then level2Next() until
// it returns false, while the imported level2Sweep receives each finished
// sweep section, then level2Summary() and level2Release(). Input given in
// windows (last = false) is continued with level2Feed() at
// level2WantedOffset() whenever level2Next() returns false and that offset
// is not -1.
// Both kinds of buffer follow layout.ts. Handing sections out as they are
// finished keeps one sweep at a time in linear memory, not the volume.

import { ArchiveWalker } from "./archive";
import {
  CUT_SLOTS,
  ICAO_LENGTH,
  LAYOUT_VERSION,
  STATUS_OK,
  SUMMARY_CUT_COUNT,
  SUMMARY_FEEDHORN_HEIGHT_M,
  SUMMARY_HAS_VOLUME_HEADER,
  SUMMARY_ICAO_RADIAL,
  SUMMARY_ICAO_VOLUME_HEADER,
  SUMMARY_JULIAN_DATE,
  SUMMARY_LAST_RADIAL_STATUS,
  SUMMARY_LATITUDE,
  SUMMARY_LAYOUT_VERSION,
  SUMMARY_LONGITUDE,
  SUMMARY_MESSAGE_TYPE,
  SUMMARY_MS_AFTER_MIDNIGHT,
  SUMMARY_RADIAL_VCP_NUMBER,
  SUMMARY_SITE_HEIGHT_M,
  SUMMARY_SLOTS,
  SUMMARY_STATUS,
  SUMMARY_SWEEP_COUNT,
  SUMMARY_TAPE_NAME,
  SUMMARY_VCP_NUMBER,
  SUMMARY_WARNING_COUNT,
  SUMMARY_WARNINGS_FOUND,
  SUMMARY_WHOLE_FILE_BZIP2,
  TAPE_NAME_LENGTH,
  WARNING_SLOTS,
} from "./layout";
import { SweepBuilder } from "./sweep_builder";
import { VolumeState } from "./volume_state";
import { Warnings } from "./warnings";

/** State of the decode under way; null between decodes. */
class Decode {
  sweeps: SweepBuilder;
  volume: VolumeState;
  warnings: Warnings;
  walker: ArchiveWalker;
  status: i32;
  ended: bool = false;

  constructor(
    input: ArrayBuffer,
    last: bool,
    codeMask: i32,
    keepStorage: bool,
  ) {
    const sweeps = new SweepBuilder(codeMask);
    const volume = new VolumeState();
    const warnings = new Warnings();
    const walker = new ArchiveWalker(sweeps, volume, warnings);
    this.sweeps = sweeps;
    this.volume = volume;
    this.warnings = warnings;
    this.walker = walker;
    if (!last) walker.expectMoreInput();
    if (keepStorage) walker.keepStorage();
    this.status = walker.start(changetype<usize>(input), input.byteLength);
    if (this.status != STATUS_OK) this.ended = true;
  }
}

let current: Decode | null = null;

/**
 * Starts decoding one Archive II input: a whole volume or a real-time
 * chunk, or only the first window of it when `last` is false (see
 * level2Feed). `input` must stay alive (pinned) until level2Release or the
 * next level2Feed. A set bit i of `codeMask` keeps the codes of moment i of
 * MOMENT_NAMES. The sections of the other moments carry their gate counts
 * and a codes pointer of 0. With `keepStorage`, level2Release leaves the
 * decompressor's storage for the next decode (see ArchiveWalker.keepStorage).
 * Returns a STATUS_* code of layout.ts.
 */
export function level2Begin(
  input: ArrayBuffer,
  last: bool,
  codeMask: i32,
  keepStorage: bool,
): i32 {
  current = new Decode(input, last, codeMask, keepStorage);
  return current!.status;
}

/**
 * Input offset where the next window must start, after level2Next
 * returned false because the window ran out, or -1 once the decode has ended.
 */
export function level2WantedOffset(): f64 {
  const walker = current!.walker;
  return walker.needsInput ? walker.wantedOffset() : -1;
}

/**
 * Hands over the next window of uncompressed messages, starting at
 * level2WantedOffset(); `last` marks that it runs to the end of the input.
 * Decoding goes on with level2Next.
 */
export function level2Feed(input: ArrayBuffer, last: bool): void {
  current!.walker.feed(changetype<usize>(input), input.byteLength, last);
}

/**
 * Decodes on to the next finished sweep fragment, which goes to the
 * imported level2Sweep. Returns true when a fragment went there, false
 * when the input or the current window ran out first.
 */
export function level2Next(): bool {
  const decode = current!;
  if (decode.ended) return false;
  const finished = decode.sweeps.finishedCount;
  if (!decode.walker.step() && !decode.walker.needsInput) {
    decode.ended = true;
    decode.sweeps.finish();
  }
  return decode.sweeps.finishedCount != finished;
}

/** Returns the summary once level2Next has returned false. */
export function level2Summary(): ArrayBuffer {
  const decode = current!;
  return writeSummary(
    decode.status,
    decode.volume,
    decode.warnings,
    decode.sweeps.finishedCount,
  );
}

/**
 * Frees the state of the decode, and the decompressor's storage unless
 * level2Begin was given `keepStorage` (see ArchiveWalker.finish).
 */
export function level2Release(): void {
  const decode = current;
  if (decode == null) return;
  decode.walker.finish();
  decode.sweeps.release();
  decode.volume.release();
  decode.warnings.release();
  current = null;
}

function put(base: usize, slot: i32, value: f64): void {
  store<f64>(base + <usize> (slot * 8), value);
}

function writeSummary(
  status: i32,
  volume: VolumeState,
  warnings: Warnings,
  sweepCount: i32,
): ArrayBuffer {
  const slots = SUMMARY_SLOTS + volume.cutCount * CUT_SLOTS +
    warnings.kept * WARNING_SLOTS;
  const summary = new ArrayBuffer(slots * 8);
  const base = changetype<usize>(summary);
  put(base, SUMMARY_LAYOUT_VERSION, LAYOUT_VERSION);
  put(base, SUMMARY_STATUS, status);
  put(base, SUMMARY_SWEEP_COUNT, sweepCount);
  put(base, SUMMARY_CUT_COUNT, volume.cutCount);
  put(base, SUMMARY_WARNING_COUNT, warnings.kept);
  put(base, SUMMARY_WARNINGS_FOUND, warnings.found);
  put(base, SUMMARY_HAS_VOLUME_HEADER, volume.hasVolumeHeader ? 1 : 0);
  put(base, SUMMARY_JULIAN_DATE, volume.julianDate);
  put(base, SUMMARY_MS_AFTER_MIDNIGHT, volume.msAfterMidnight);
  put(base, SUMMARY_VCP_NUMBER, volume.vcpNumber);
  put(base, SUMMARY_RADIAL_VCP_NUMBER, volume.radialVcpNumber);
  put(base, SUMMARY_LATITUDE, volume.latitude);
  put(base, SUMMARY_LONGITUDE, volume.longitude);
  put(base, SUMMARY_SITE_HEIGHT_M, volume.siteHeightM);
  put(base, SUMMARY_FEEDHORN_HEIGHT_M, volume.feedhornHeightM);
  put(base, SUMMARY_MESSAGE_TYPE, volume.messageType);
  put(base, SUMMARY_LAST_RADIAL_STATUS, volume.lastStatus);
  put(base, SUMMARY_WHOLE_FILE_BZIP2, volume.wholeFileBzip2 ? 1 : 0);
  for (let i = 0; i < TAPE_NAME_LENGTH; i++) {
    put(base, SUMMARY_TAPE_NAME + i, volume.tapeName[i]);
  }
  for (let i = 0; i < ICAO_LENGTH; i++) {
    put(base, SUMMARY_ICAO_VOLUME_HEADER + i, volume.icaoVolumeHeader[i]);
    put(base, SUMMARY_ICAO_RADIAL + i, volume.icaoRadial[i]);
  }
  let at = base + <usize> (SUMMARY_SLOTS * 8);
  memory.copy(at, volume.cuts.pointer, <usize> volume.cuts.length);
  at += <usize> (volume.cutCount * CUT_SLOTS * 8);
  memory.copy(at, warnings.slots.pointer, <usize> warnings.slots.length);
  return summary;
}
