/**
 * Reads the buffers that the WebAssembly Level 2 decoder returns, laid out
 * as `assembly/level2/layout.ts` describes: the summary and the sweep
 * sections become typed arrays over their copied-out bytes, and each
 * moment's raw codes are copied out of linear memory into an array of
 * their own.
 *
 * @module
 */

import * as L from "../../assembly/level2/layout.ts";
import type { DecodeWarning } from "../errors.ts";
import type { Moment, MomentCode } from "../radar/moment.ts";
import type { ElevationCut } from "../radar/volume.ts";

/** The summary buffer, decoded. */
export interface Summary {
  status: number;
  sweepCount: number;
  warningsFound: number;
  hasVolumeHeader: boolean;
  wholeFileBzip2: boolean;
  julianDate: number;
  msAfterMidnight: number;
  vcpNumber: number | null;
  radialVcpNumber: number | null;
  latitudeDeg: number;
  longitudeDeg: number;
  siteHeightM: number;
  feedhornHeightM: number;
  messageType: number;
  lastRadialStatus: number | null;
  tapeName: string;
  icaoVolumeHeader: string;
  icaoRadial: string;
  cuts: ElevationCut[];
  warnings: RawWarning[];
}

/** One warning slot group of the summary. */
export interface RawWarning {
  code: number;
  offset: number;
  messageType: number;
  detail: number;
}

/** A run of consecutive radials with one elevation number. */
export interface SweepFragment {
  elevationNumber: number;
  messageType: number;
  nyquistVelocityMps: number | null;
  unambiguousRangeKm: number | null;
  timesMs: Float64Array;
  azimuthsDeg: Float32Array;
  elevationsDeg: Float32Array;
  azimuthSpacingsDeg: Float32Array;
  radialStatus: Uint8Array;
  /** The moments kept, by code (see `keep` of {@linkcode readSweepSection}). */
  moments: Partial<Record<MomentCode, Moment>>;
  /** Every moment the radials carried, kept or not, in section order. */
  recorded: MomentCode[];
}

function chars(slots: Float64Array, start: number, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) {
    text += String.fromCharCode(slots[start + i]);
  }
  return text;
}

function orNull(value: number): number | null {
  return Number.isNaN(value) || value < 0 ? null : value;
}

/** Decodes a summary buffer. */
export function readSummary(bytes: Uint8Array): Summary {
  const slots = new Float64Array(
    bytes.buffer,
    bytes.byteOffset,
    bytes.byteLength / 8,
  );
  if (slots[L.SUMMARY_LAYOUT_VERSION] !== L.LAYOUT_VERSION) {
    throw new RangeError(
      `Level 2 result layout ${
        slots[L.SUMMARY_LAYOUT_VERSION]
      } is not the expected ${L.LAYOUT_VERSION}: rebuild the WebAssembly module`,
    );
  }
  const cutCount = slots[L.SUMMARY_CUT_COUNT];
  const warningCount = slots[L.SUMMARY_WARNING_COUNT];
  const cuts: ElevationCut[] = [];
  let at = L.SUMMARY_SLOTS;
  for (let i = 0; i < cutCount; i++, at += L.CUT_SLOTS) {
    cuts.push({
      elevationAngleDeg: slots[at + L.CUT_ANGLE_DEG],
      waveformType: slots[at + L.CUT_WAVEFORM],
    });
  }
  const warnings: RawWarning[] = [];
  for (let i = 0; i < warningCount; i++, at += L.WARNING_SLOTS) {
    warnings.push({
      code: slots[at + L.WARNING_CODE],
      offset: slots[at + L.WARNING_OFFSET],
      messageType: slots[at + L.WARNING_MESSAGE_TYPE],
      detail: slots[at + L.WARNING_DETAIL],
    });
  }
  return {
    status: slots[L.SUMMARY_STATUS],
    sweepCount: slots[L.SUMMARY_SWEEP_COUNT],
    warningsFound: slots[L.SUMMARY_WARNINGS_FOUND],
    hasVolumeHeader: slots[L.SUMMARY_HAS_VOLUME_HEADER] === 1,
    wholeFileBzip2: slots[L.SUMMARY_WHOLE_FILE_BZIP2] === 1,
    julianDate: slots[L.SUMMARY_JULIAN_DATE],
    msAfterMidnight: slots[L.SUMMARY_MS_AFTER_MIDNIGHT],
    vcpNumber: orNull(slots[L.SUMMARY_VCP_NUMBER]),
    radialVcpNumber: orNull(slots[L.SUMMARY_RADIAL_VCP_NUMBER]),
    latitudeDeg: slots[L.SUMMARY_LATITUDE],
    longitudeDeg: slots[L.SUMMARY_LONGITUDE],
    siteHeightM: slots[L.SUMMARY_SITE_HEIGHT_M],
    feedhornHeightM: slots[L.SUMMARY_FEEDHORN_HEIGHT_M],
    messageType: slots[L.SUMMARY_MESSAGE_TYPE],
    lastRadialStatus: orNull(slots[L.SUMMARY_LAST_RADIAL_STATUS]),
    tapeName: chars(slots, L.SUMMARY_TAPE_NAME, L.TAPE_NAME_LENGTH),
    icaoVolumeHeader: chars(slots, L.SUMMARY_ICAO_VOLUME_HEADER, L.ICAO_LENGTH),
    icaoRadial: chars(slots, L.SUMMARY_ICAO_RADIAL, L.ICAO_LENGTH),
    cuts,
    warnings,
  };
}

const align8 = (length: number): number => (length + 7) & ~7;

/**
 * Decodes one sweep section: `bytes` is its copy, and `memory` is the
 * module's linear memory, which contains the raw codes the section points
 * at. Only the moments in `keep` are read, all of them when it is absent.
 */
export function readSweepSection(
  bytes: Uint8Array,
  memory: ArrayBuffer,
  keep?: readonly MomentCode[],
): SweepFragment {
  const buffer = bytes.buffer;
  let at = bytes.byteOffset;
  const header = new Float64Array(buffer, at, L.SWEEP_SLOTS);
  const n = header[L.SWEEP_RADIAL_COUNT];
  const momentCount = header[L.SWEEP_MOMENT_COUNT];
  at += L.SWEEP_SLOTS * 8;
  const timesMs = new Float64Array(buffer, at, n);
  at += n * 8;
  const azimuthsDeg = new Float32Array(buffer, at, n);
  at += align8(n * 4);
  const elevationsDeg = new Float32Array(buffer, at, n);
  at += align8(n * 4);
  const azimuthSpacingsDeg = new Float32Array(buffer, at, n);
  at += align8(n * 4);
  const radialStatus = new Uint8Array(buffer, at, n);
  at += align8(n);

  const moments: Partial<Record<MomentCode, Moment>> = {};
  const recorded: MomentCode[] = [];
  for (let m = 0; m < momentCount; m++) {
    const slots = new Float64Array(buffer, at, L.MOMENT_SLOTS);
    at += L.MOMENT_SLOTS * 8;
    const code = L.MOMENT_NAMES[slots[L.MOMENT_INDEX]] as MomentCode;
    recorded.push(code);
    const gateCount = slots[L.MOMENT_GATE_COUNT];
    const wordSizeBits = slots[L.MOMENT_WORD_SIZE_BITS] === 16 ? 16 : 8;
    const radialGateCounts = new Uint16Array(buffer, at, n);
    at += align8(n * 2);
    if (keep !== undefined && !keep.includes(code)) continue;
    const raw = copyCodes(
      memory,
      slots[L.MOMENT_CODES_POINTER],
      radialGateCounts,
      gateCount,
      wordSizeBits / 8,
    );
    moments[code] = {
      code,
      gateCount,
      firstGateRangeKm: slots[L.MOMENT_FIRST_GATE_KM],
      gateIntervalKm: slots[L.MOMENT_GATE_INTERVAL_KM],
      wordSizeBits,
      scale: slots[L.MOMENT_SCALE],
      offset: slots[L.MOMENT_OFFSET],
      raw,
      radialGateCounts,
    };
  }
  const nyquist = header[L.SWEEP_NYQUIST_MPS];
  const range = header[L.SWEEP_UNAMBIGUOUS_RANGE_KM];
  return {
    elevationNumber: header[L.SWEEP_ELEVATION_NUMBER],
    messageType: header[L.SWEEP_MESSAGE_TYPE],
    nyquistVelocityMps: Number.isNaN(nyquist) ? null : nyquist,
    unambiguousRangeKm: Number.isNaN(range) ? null : range,
    timesMs,
    azimuthsDeg,
    elevationsDeg,
    azimuthSpacingsDeg,
    radialStatus,
    moments,
    recorded,
  };
}

/**
 * Copies the codes of one moment out of linear memory, where each radial
 * has only the gates it carried, into rows of `gateCount` words with
 * shorter radials padded with zeros.
 */
function copyCodes(
  memory: ArrayBuffer,
  pointer: number,
  radialGateCounts: Uint16Array,
  gateCount: number,
  wordBytes: number,
): Uint8Array | Uint16Array {
  const rowBytes = gateCount * wordBytes;
  const rows = new Uint8Array(radialGateCounts.length * rowBytes);
  const carried = radialGateCounts.reduce((sum, gates) => sum + gates, 0);
  const source = new Uint8Array(memory, pointer, carried * wordBytes);
  if (carried * wordBytes === rows.length) {
    // Every radial carried the full gate count: one block.
    rows.set(source);
  } else {
    let from = 0;
    for (const [r, gates] of radialGateCounts.entries()) {
      const bytes = gates * wordBytes;
      rows.set(source.subarray(from, from + bytes), r * rowBytes);
      from += bytes;
    }
  }
  return wordBytes === 2 ? new Uint16Array(rows.buffer) : rows;
}

/** One-sentence text of each warning code of the layout. */
const WARNING_TEXT: Record<number, (detail: number) => string> = {
  [L.W_TRUNCATED_RECORD]: (d) =>
    `LDM record declares ${d} bytes but the input ends first; the input is truncated here`,
  [L.W_BAD_RECORD]: (d) =>
    `LDM record failed to decompress (bzip2 status ${d}) and was skipped`,
  [L.W_TRUNCATED_MESSAGE]: (d) =>
    `message runs ${d} bytes past the end of its data and was skipped`,
  [L.W_BAD_MESSAGE_SIZE]: (d) =>
    `message size ${d} halfwords is invalid; the rest of the record was skipped`,
  [L.W_BAD_RADIAL]: (d) =>
    `radial has an invalid header field or block pointer (${d}); the bad part was skipped`,
  [L.W_BAD_VCP]: (d) =>
    `volume coverage pattern message with ${d} cuts is malformed and was skipped`,
  [L.W_EMPTY_VCP]: () =>
    "volume coverage pattern message is empty; the pattern number comes from the radials",
  [L.W_MILLIDEGREE_LOCATION]: (d) =>
    `VOL block stores latitude ${d} as degrees x 1000; latitude and longitude were divided by 1000`,
  [L.W_UNKNOWN_BLOCK]: (d) =>
    `data block with unknown name 0x${d.toString(16)} was skipped`,
  [L.W_COMPRESSED_RADIAL]: () =>
    "radial is marked compressed, which the ICD does not define; skipped",
  [L.W_MOMENT_WORD_SIZE_CHANGED]: (d) =>
    `moment changed to ${d}-bit words inside a sweep; that radial's block was skipped`,
  [L.W_TRAILING_BYTES]: (d) =>
    `${d} bytes after the last LDM record form no record and were ignored`,
  [L.W_BAD_BZIP2_FILE]: (d) =>
    `whole-file bzip2 stream failed to decompress (bzip2 status ${d})`,
  [L.W_TRUNCATED_MOMENT]: (d) =>
    `moment block is cut short; only ${d} gates were kept`,
  [L.W_TRUNCATED_INPUT]: (d) =>
    `input ends ${d} bytes into a message slot; the input is truncated here`,
  [L.W_VOLUME_TOO_LARGE]: (d) =>
    `LDM records inflate to ${d} bytes, more than any volume; this record and the rest were skipped`,
};

/**
 * Turns raw warnings into {@linkcode DecodeWarning}s of `source`, adding
 * `offset` (the input's position in its file) to their byte offsets.
 */
export function describeWarnings(
  summary: Summary,
  source: string,
  offset = 0,
): DecodeWarning[] {
  const warnings: DecodeWarning[] = summary.warnings.map((raw) => {
    const text = WARNING_TEXT[raw.code]?.(raw.detail) ??
      `unknown warning code ${raw.code}`;
    const site = summary.wholeFileBzip2 ? " of the decompressed file" : "";
    const byte = raw.offset + offset;
    const warning: DecodeWarning = {
      source,
      offset: byte,
      message: `Byte ${byte}${site}: ${text}`,
    };
    if (raw.messageType !== 0) warning.messageType = raw.messageType;
    return warning;
  });
  const dropped = summary.warningsFound - summary.warnings.length;
  if (dropped > 0) {
    warnings.push({
      source,
      offset: 0,
      message: `${dropped} more warnings of the same decode were not kept`,
    });
  }
  return warnings;
}
