// The Level 2 functions that build/nexrad.wasm exports to core/level2/.
//
// One decode is three steps: level2Decode returns the summary buffer,
// level2Sweep(i) returns each sweep section, and level2Release drops the
// sections so the collector can free them. Both kinds of buffer follow
// layout.ts; the TypeScript side copies each out once.

import { ArchiveWalker } from "./archive";
import {
  CUT_SLOTS,
  ICAO_LENGTH,
  LAYOUT_VERSION,
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

let sections: Array<ArrayBuffer> = new Array<ArrayBuffer>();

/** Decodes one Archive II input: a whole volume or a real-time chunk. */
export function level2Decode(input: ArrayBuffer): ArrayBuffer {
  const sweeps = new SweepBuilder();
  const volume = new VolumeState();
  const warnings = new Warnings();
  const walker = new ArchiveWalker(sweeps, volume, warnings);
  const status = walker.walk(changetype<usize>(input), input.byteLength);
  sweeps.finish();
  sections = sweeps.sections;
  const summary = writeSummary(status, volume, warnings, sections.length);
  sweeps.release();
  volume.release();
  warnings.release();
  return summary;
}

/** Returns sweep section `index` of the last decode. */
export function level2Sweep(index: i32): ArrayBuffer {
  return sections[index];
}

/** Drops the sections of the last decode. */
export function level2Release(): void {
  sections = new Array<ArrayBuffer>();
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
