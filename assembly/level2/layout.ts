// Result layout of the Level 2 decoder, shared by the AssemblyScript side
// (which writes it) and core/level2/ (which reads it), so this file must stay
// plain TypeScript: numbers only, no AssemblyScript types.
//
// One decode returns a summary buffer and hands over one section buffer per
// sweep fragment (a run of consecutive radials with one elevation number)
// through the imported level2Sweep. A section does not hold the raw codes:
// each moment block points at them in linear memory, where they stay only
// until level2Sweep returns. Every number is little-endian (WebAssembly
// memory order).
//
// Summary buffer: Float64 slots.
//
//   [0, SUMMARY_SLOTS)                         fixed fields, SUMMARY_* below
//   cutCount x CUT_SLOTS                       message 5 elevation cuts
//   warningCount x WARNING_SLOTS               warnings, WARNING_* below
//
// Sweep section: blocks in this order, each starting on an 8-byte boundary.
//
//   Float64[SWEEP_SLOTS]                       SWEEP_* fields
//   Float64[radialCount]                       collection times, ms since 1970
//   Float32[radialCount]                       azimuths, degrees
//   Float32[radialCount]                       elevations, degrees
//   Float32[radialCount]                       azimuth spacings, degrees
//   Uint8[radialCount]                         radial status codes
//   momentCount x moment block:
//     Float64[MOMENT_SLOTS]                    MOMENT_* fields
//     Uint16[radialCount]                      gates carried by each radial
//
// Raw codes, at MOMENT_CODES_POINTER: Uint8 or Uint16 words, radial after
// radial, each radial with only the gates it carried. The pointer is 0 for
// a moment whose codes the decode was not asked to keep.

/** Version of this layout, stored in SUMMARY_LAYOUT_VERSION. */
export const LAYOUT_VERSION = 2;

/** Decoded; the volume may still be empty or carry warnings. */
export const STATUS_OK = 0;
/** The input has no bytes. */
export const STATUS_EMPTY = 1;
/** The input starts with none of the Level 2 signatures. */
export const STATUS_UNKNOWN_FORMAT = 2;
/** The input is Unix compress (`.Z`), which this decoder does not read. */
export const STATUS_UNIX_COMPRESS = 3;
/** The input is gzip, which the caller inflates before decoding. */
export const STATUS_GZIP = 4;
/** The input ends inside the 24-byte volume header. */
export const STATUS_TRUNCATED_HEADER = 5;
/**
 * The first window of an input was given, but only uncompressed messages
 * are read in windows: the caller starts again with the whole input.
 */
export const STATUS_WHOLE_INPUT_NEEDED = 6;

export const SUMMARY_LAYOUT_VERSION = 0;
export const SUMMARY_STATUS = 1;
export const SUMMARY_SWEEP_COUNT = 2;
export const SUMMARY_CUT_COUNT = 3;
export const SUMMARY_WARNING_COUNT = 4;
/** Warnings found, including those dropped past MAX_WARNINGS. */
export const SUMMARY_WARNINGS_FOUND = 5;
/** 1 when the input starts with a volume header, else 0. */
export const SUMMARY_HAS_VOLUME_HEADER = 6;
export const SUMMARY_JULIAN_DATE = 7;
export const SUMMARY_MS_AFTER_MIDNIGHT = 8;
/** Pattern number from message 5; -1 without a usable message 5. */
export const SUMMARY_VCP_NUMBER = 9;
/** Pattern number from the first radial (VOL block or message 1); -1 none. */
export const SUMMARY_RADIAL_VCP_NUMBER = 10;
/** Antenna latitude, degrees; NaN without a VOL block. */
export const SUMMARY_LATITUDE = 11;
export const SUMMARY_LONGITUDE = 12;
export const SUMMARY_SITE_HEIGHT_M = 13;
export const SUMMARY_FEEDHORN_HEIGHT_M = 14;
/** Radial message type of the first radial: 31, 1, or 0 without radials. */
export const SUMMARY_MESSAGE_TYPE = 15;
/** Radial status of the last radial; -1 without radials. */
export const SUMMARY_LAST_RADIAL_STATUS = 16;
/** Character codes of the 9-byte tape name, e.g. "AR2V0006.". */
export const SUMMARY_TAPE_NAME = 17;
export const TAPE_NAME_LENGTH = 9;
/** Character codes of the volume header ICAO. */
export const SUMMARY_ICAO_VOLUME_HEADER = 26;
/** Character codes of the first message 31 radial's ICAO. */
export const SUMMARY_ICAO_RADIAL = 30;
export const ICAO_LENGTH = 4;
/** Input layer: 0 Archive II records, 1 whole-file bzip2 around them. */
export const SUMMARY_WHOLE_FILE_BZIP2 = 34;
export const SUMMARY_SLOTS = 35;

/** Elevation cut slots: angle in degrees, then the ICD waveform type. */
export const CUT_ANGLE_DEG = 0;
export const CUT_WAVEFORM = 1;
export const CUT_SLOTS = 2;

/** Warning slots: code, byte offset, message type (0 unknown), detail. */
export const WARNING_CODE = 0;
export const WARNING_OFFSET = 1;
export const WARNING_MESSAGE_TYPE = 2;
export const WARNING_DETAIL = 3;
export const WARNING_SLOTS = 4;
/** Warnings kept per decode; the rest are only counted. */
export const MAX_WARNINGS = 64;

// Warning codes. WARNING_OFFSET is a byte offset into the input unless the
// code's description states it is into a decompressed record; WARNING_DETAIL is described
// per code.

/** An LDM record runs past the end of the input; detail: declared length. */
export const W_TRUNCATED_RECORD = 1;
/** An LDM record failed to decompress; detail: bzip2 status code. */
export const W_BAD_RECORD = 2;
/** A message runs past the end of its data; detail: bytes missing. */
export const W_TRUNCATED_MESSAGE = 3;
/** A message's size field is impossible; detail: size in halfwords. */
export const W_BAD_MESSAGE_SIZE = 4;
/** A radial's block pointers or lengths are inconsistent; skipped. */
export const W_BAD_RADIAL = 5;
/** Message 5 is malformed and was skipped; detail: number of cuts. */
export const W_BAD_VCP = 6;
/** Message 5 is present but empty. */
export const W_EMPTY_VCP = 7;
/** The VOL block stores latitude and longitude x 1000; divided. */
export const W_MILLIDEGREE_LOCATION = 8;
/** A message 31 data block has an unknown name; skipped. */
export const W_UNKNOWN_BLOCK = 9;
/** A message 31 radial is marked compressed, so it is skipped. */
export const W_COMPRESSED_RADIAL = 10;
/** A moment changed word size inside a sweep; detail: word size. */
export const W_MOMENT_WORD_SIZE_CHANGED = 11;
/** Bytes after the last LDM record that form no record; detail: count. */
export const W_TRAILING_BYTES = 12;
/** The whole-file bzip2 stream is damaged; detail: bzip2 status code. */
export const W_BAD_BZIP2_FILE = 13;
/** A radial's moment block is cut short; detail: gates that fit. */
export const W_TRUNCATED_MOMENT = 14;
/** The input ends inside a message slot; detail: bytes present. */
export const W_TRUNCATED_INPUT = 15;
/** LDM records inflate past the volume ceiling; detail: bytes inflated. */
export const W_VOLUME_TOO_LARGE = 16;

export const SWEEP_ELEVATION_NUMBER = 0;
export const SWEEP_RADIAL_COUNT = 1;
export const SWEEP_MOMENT_COUNT = 2;
/** Nyquist velocity of the first radial, m/s; NaN where none. */
export const SWEEP_NYQUIST_MPS = 3;
/** Unambiguous range of the first radial, km; NaN where none. */
export const SWEEP_UNAMBIGUOUS_RANGE_KM = 4;
/** Radial message type of the sweep: 31 or 1. */
export const SWEEP_MESSAGE_TYPE = 5;
export const SWEEP_SLOTS = 8;

/** Index into MOMENT_NAMES. */
export const MOMENT_INDEX = 0;
export const MOMENT_GATE_COUNT = 1;
export const MOMENT_FIRST_GATE_KM = 2;
export const MOMENT_GATE_INTERVAL_KM = 3;
export const MOMENT_WORD_SIZE_BITS = 4;
export const MOMENT_SCALE = 5;
export const MOMENT_OFFSET = 6;
/** Address of the moment's raw codes in linear memory. */
export const MOMENT_CODES_POINTER = 7;
export const MOMENT_SLOTS = 8;

/** Message 31 data block names in ICD order; the index is MOMENT_INDEX. */
export const MOMENT_NAMES = ["REF", "VEL", "SW", "ZDR", "PHI", "RHO", "CFP"];
export const MOMENT_KINDS = 7;
