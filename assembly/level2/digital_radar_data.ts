// Message 31, Digital Radar Data Generic Format (ICD 2620002, section
// 3.2.4.17, Tables XVII-A to XVII-J). Offsets are bytes from the start of
// the data header, which follows the 16-byte message header.
//
//   Data header block (Table XVII-A), 32 bytes + 4 per data block pointer:
//   0        4          8      10         12           16 17 18
//   +--------+----------+------+----------+------------+--+--+----------+
//   | ICAO   | time, ms | date | azimuth  | azimuth    |cm|sp| radial   |
//   | 4 char | after 0h | (1=  | number   | angle f32  |  |  | length   |
//   |        |          | 1970-01-01)     |            |  |  |          |
//   +--------+----------+------+----------+------------+--+--+----------+
//   20   21     22     23     24            28  29  30         32
//   +----+------+------+------+-------------+---+---+----------+-------+
//   |az  |radial|elev. |sector| elevation   |sb |aim| data     | block |
//   |res.|status|number|number| angle f32   |   |   | blocks n | ptrs  |
//   +----+------+------+------+-------------+---+---+----------+-------+
//
//   Every block starts with a type letter and a 3-letter name; pointers are
//   not ordered, so blocks are found by name, never by position.
//
//   "RVOL" (Table XVII-E): 4 length u16, 6 version major, 7 minor,
//     8 latitude f32, 12 longitude f32, 16 site height m i16, 18 feedhorn
//     height m u16, ..., 40 VCP number u16. 44 bytes, 52 from Build 20: the
//     length field is trusted, the fields read all lie in the first 44.
//   "RRAD" (Table XVII-H): 4 length u16, 6 unambiguous range u16 (0.1 km),
//     8 and 12 noise levels f32, 16 Nyquist velocity i16 (0.01 m/s).
//   "RELV" (Table XVII-F): elevation constants, not used here.
//   "D" + REF VEL SW ZDR PHI RHO CFP (Table XVII-B), 28-byte header:
//   0  1      4          8       10          12         14
//   +--+------+----------+-------+-----------+----------+---------+
//   |D |name  | reserved | gates | first gate| gate     | tover   |
//   |  |      |          | u16   | m u16     | interval | ...     |
//   +--+------+----------+-------+-----------+----------+---------+
//   16       18      19         20          24          28
//   +--------+-------+----------+-----------+-----------+-----------+
//   | SNR    | ctrl  | word size| scale f32 | offset f32| gates of  |
//   | thresh | flags | 8 or 16  |           |           | word size |
//   +--------+-------+----------+-----------+-----------+-----------+

import { f32be, hasName3, i16be, u16be, u32be } from "./bytes";
import {
  W_BAD_RADIAL,
  W_COMPRESSED_RADIAL,
  W_MILLIDEGREE_LOCATION,
  W_TRUNCATED_MOMENT,
  W_UNKNOWN_BLOCK,
} from "./layout";
import { SweepBuilder } from "./sweep_builder";
import { VolumeState } from "./volume_state";
import { Warnings } from "./warnings";

const MESSAGE_TYPE = 31;
/**
 * Radial status codes are 0 to 5; MetPy (io/nexrad.py, remap_status) reads
 * the high 4 bits as a bad-data flag, which the model does not carry.
 */
const RADIAL_STATUS_MASK = 0x0f;
const DATA_HEADER_BYTES = 32;
const MAX_DATA_BLOCKS = 10;
const VOL_FIELDS_BYTES = 44;
const RAD_FIELDS_BYTES = 18;
const MOMENT_HEADER_BYTES = 28;
const CHAR_R: u32 = 0x52;
const CHAR_D: u32 = 0x44;

/** ms in one day, for the Julian date (day 1 = 1970-01-01). */
const MS_PER_DAY: f64 = 86400000;

/** Azimuth resolution spacing code (Table XVII-A) to degrees. */
function azimuthSpacingDeg(code: u32): f32 {
  if (code == 1) return 0.5;
  if (code == 2) return 1.0;
  return 0;
}

/** Index of a moment block name in MOMENT_NAMES, or -1. */
function momentIndex(name: usize): i32 {
  if (hasName3(name, 0x52, 0x45, 0x46)) return 0; // REF
  if (hasName3(name, 0x56, 0x45, 0x4c)) return 1; // VEL
  if (hasName3(name, 0x53, 0x57, 0x20)) return 2; // "SW "
  if (hasName3(name, 0x5a, 0x44, 0x52)) return 3; // ZDR
  if (hasName3(name, 0x50, 0x48, 0x49)) return 4; // PHI
  if (hasName3(name, 0x52, 0x48, 0x4f)) return 5; // RHO
  if (hasName3(name, 0x43, 0x46, 0x50)) return 6; // CFP
  return -1;
}

/** True for an angle that can be a real azimuth or elevation. */
function isAngle(value: f32): bool {
  return value == value && value >= -360 && value <= 360;
}

/**
 * Decodes one message 31 radial of `length` bytes at `body` into `sweeps`.
 * `at` is the byte offset reported in warnings.
 */
export function decodeDigitalRadarData(
  body: usize,
  length: i32,
  at: f64,
  sweeps: SweepBuilder,
  volume: VolumeState,
  warnings: Warnings,
): void {
  if (length < DATA_HEADER_BYTES) {
    warnings.add(W_BAD_RADIAL, at, MESSAGE_TYPE, <f64> length);
    return;
  }
  const blockCount = <i32> u16be(body + 30);
  if (
    blockCount > MAX_DATA_BLOCKS ||
    DATA_HEADER_BYTES + 4 * blockCount > length
  ) {
    warnings.add(W_BAD_RADIAL, at, MESSAGE_TYPE, <f64> blockCount);
    return;
  }
  if (load<u8>(body + 16) != 0) {
    warnings.add(W_COMPRESSED_RADIAL, at, MESSAGE_TYPE, 0);
    return;
  }
  const azimuth = f32be(body + 12);
  const elevation = f32be(body + 24);
  if (!isAngle(azimuth) || !isAngle(elevation)) {
    warnings.add(W_BAD_RADIAL, at, MESSAGE_TYPE, 0);
    return;
  }

  const timeMs = (<f64> u16be(body + 8) - 1) * MS_PER_DAY +
    <f64> u32be(body + 4);
  const status = <i32> load<u8>(body + 21) & RADIAL_STATUS_MASK;
  const elevationNumber = <i32> load<u8>(body + 22);
  volume.noteRadial(MESSAGE_TYPE, status, body);
  sweeps.beginRadial(
    MESSAGE_TYPE,
    elevationNumber,
    status,
    timeMs,
    azimuth,
    elevation,
    azimuthSpacingDeg(<u32> load<u8>(body + 20)),
  );

  for (let i = 0; i < blockCount; i++) {
    const pointer = <i32> u32be(body + <usize> (DATA_HEADER_BYTES + 4 * i));
    if (pointer == 0) continue;
    if (pointer < DATA_HEADER_BYTES || pointer > length - 8) {
      warnings.add(W_BAD_RADIAL, at, MESSAGE_TYPE, <f64> pointer);
      continue;
    }
    const block = body + <usize> pointer;
    const type = <u32> load<u8>(block);
    const available = length - pointer;
    if (type == CHAR_D) {
      decodeMomentBlock(block, available, at, sweeps, warnings);
    } else if (type == CHAR_R && hasName3(block + 1, 0x56, 0x4f, 0x4c)) {
      decodeVolumeBlock(block, available, at, volume, warnings);
    } else if (type == CHAR_R && hasName3(block + 1, 0x52, 0x41, 0x44)) {
      decodeRadialBlock(block, available, sweeps);
    } else if (!(type == CHAR_R && hasName3(block + 1, 0x45, 0x4c, 0x56))) {
      warnings.add(W_UNKNOWN_BLOCK, at, MESSAGE_TYPE, <f64> u32be(block));
    }
  }
}

function decodeMomentBlock(
  block: usize,
  available: i32,
  at: f64,
  sweeps: SweepBuilder,
  warnings: Warnings,
): void {
  const index = momentIndex(block + 1);
  if (index < 0) {
    warnings.add(W_UNKNOWN_BLOCK, at, MESSAGE_TYPE, <f64> u32be(block));
    return;
  }
  if (available < MOMENT_HEADER_BYTES) {
    warnings.add(W_TRUNCATED_MOMENT, at, MESSAGE_TYPE, 0);
    return;
  }
  const wordSizeBits = <i32> load<u8>(block + 19);
  if (wordSizeBits != 8 && wordSizeBits != 16) {
    warnings.add(W_BAD_RADIAL, at, MESSAGE_TYPE, <f64> wordSizeBits);
    return;
  }
  let gates = <i32> u16be(block + 8);
  const fit = (available - MOMENT_HEADER_BYTES) / (wordSizeBits >> 3);
  if (gates > fit) {
    warnings.add(W_TRUNCATED_MOMENT, at, MESSAGE_TYPE, <f64> fit);
    gates = fit;
  }
  if (gates == 0) return;
  sweeps.addMoment(
    index,
    block + MOMENT_HEADER_BYTES,
    gates,
    wordSizeBits,
    <f64> u16be(block + 10) / 1000,
    <f64> u16be(block + 12) / 1000,
    <f64> f32be(block + 20),
    <f64> f32be(block + 24),
    warnings,
    at,
    MESSAGE_TYPE,
  );
}

function decodeVolumeBlock(
  block: usize,
  available: i32,
  at: f64,
  volume: VolumeState,
  warnings: Warnings,
): void {
  const declared = <i32> u16be(block + 4);
  if (declared < VOL_FIELDS_BYTES || available < VOL_FIELDS_BYTES) {
    warnings.add(W_BAD_RADIAL, at, MESSAGE_TYPE, <f64> declared);
    return;
  }
  if (volume.hasLocation) return;
  let latitude = <f64> f32be(block + 8);
  let longitude = <f64> f32be(block + 12);
  if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) {
    // Some TDWR files store degrees x 1000 (e.g. 32926.0 for 32.926 N).
    if (Math.abs(latitude) <= 90000 && Math.abs(longitude) <= 180000) {
      warnings.add(W_MILLIDEGREE_LOCATION, at, MESSAGE_TYPE, latitude);
      latitude /= 1000;
      longitude /= 1000;
    } else {
      warnings.add(W_BAD_RADIAL, at, MESSAGE_TYPE, latitude);
      return;
    }
  }
  volume.hasLocation = true;
  volume.latitude = latitude;
  volume.longitude = longitude;
  volume.siteHeightM = <f64> i16be(block + 16);
  volume.feedhornHeightM = <f64> u16be(block + 18);
  volume.radialVcpNumber = <i32> u16be(block + 40);
}

function decodeRadialBlock(
  block: usize,
  available: i32,
  sweeps: SweepBuilder,
): void {
  if (available < RAD_FIELDS_BYTES) return;
  sweeps.setRadialLimits(
    <f64> i16be(block + 16) / 100,
    <f64> u16be(block + 6) / 10,
  );
}
