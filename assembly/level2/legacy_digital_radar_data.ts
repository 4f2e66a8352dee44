// Message 1, Digital Radar Data (ICD 2620002 before Build 10, Table III;
// replaced by message 31 from 2008). Each message fills a 2432-byte slot.
// Offsets are bytes from the start of the data header, which follows the
// 16-byte message header; the moment pointers count from there too.
//
//   0          4      6          8        10       12      14       16
//   +----------+------+----------+--------+--------+-------+--------+
//   | time, ms | date | unamb.   | azimuth| azimuth| radial| elev.  |
//   |          |      | range    | angle  | number | status| angle  |
//   |          |      | 0.1 km   | code   |        |       | code   |
//   +----------+------+----------+--------+--------+-------+--------+
//   16       18         20         22         24         26       28
//   +--------+----------+----------+----------+----------+--------+
//   | elev.  | surv.    | Doppler  | surv.    | Doppler  | surv.  |
//   | number | 1st gate | 1st gate | interval | interval | gates  |
//   |        | m, i16   | m, i16   | m        | m        |        |
//   +--------+----------+----------+----------+----------+--------+
//   28       30      32       36     38     40     42        44    ...60
//   +--------+-------+--------+------+------+------+---------+-----+-----+
//   | Doppler| cut   | calib. | REF  | VEL  | SW   | velocity| VCP | Nyq.|
//   | gates  | sector| f32    | ptr  | ptr  | ptr  | res. 2/4|     | vel.|
//   +--------+-------+--------+------+------+------+---------+-----+-----+
//
// Angle codes are degrees x 32768 / 180. Gates are one byte each. REF is
// (code - 66) / 2 dBZ. VEL is (code - 129) / 2 m/s at 0.5 m/s resolution
// (resolution code 2), or (code - 129) m/s at 1 m/s (code 4). SW is
// (code - 129) / 2 m/s.
// The range to the first gate is negative for some Doppler data.

import { i16be, u16be, u32be } from "./bytes";
import { W_BAD_RADIAL, W_TRUNCATED_MOMENT } from "./layout";
import { SweepBuilder } from "./sweep_builder";
import { VolumeState } from "./volume_state";
import { Warnings } from "./warnings";

const MESSAGE_TYPE = 1;
/** Status codes are 0 to 5; higher bits flag bad data (as in message 31). */
const RADIAL_STATUS_MASK = 0x0f;
const HEADER_BYTES = 100;
const MS_PER_DAY: f64 = 86400000;
const ANGLE_PER_CODE: f64 = 180.0 / 32768.0;
const VELOCITY_RESOLUTION_HALF = 2;

/**
 * Decodes one message 1 radial of `length` bytes at `body` into `sweeps`.
 * `at` is the byte offset reported in warnings.
 */
export function decodeLegacyDigitalRadarData(
  body: usize,
  length: i32,
  at: f64,
  sweeps: SweepBuilder,
  volume: VolumeState,
  warnings: Warnings,
): void {
  if (length < HEADER_BYTES) {
    warnings.add(W_BAD_RADIAL, at, MESSAGE_TYPE, <f64> length);
    return;
  }
  const timeMs = (<f64> u16be(body + 4) - 1) * MS_PER_DAY +
    <f64> u32be(body);
  const status = <i32> u16be(body + 12) & RADIAL_STATUS_MASK;
  const elevationNumber = <i32> u16be(body + 16);
  const azimuth = <f32> (<f64> u16be(body + 8) * ANGLE_PER_CODE);
  const elevation = <f32> (<f64> u16be(body + 14) * ANGLE_PER_CODE);
  volume.noteRadial(MESSAGE_TYPE, status, body);
  if (volume.radialVcpNumber < 0) {
    volume.radialVcpNumber = <i32> u16be(body + 44);
  }
  // Message 1 carries no azimuth spacing; legacy radials are 1 degree.
  sweeps.beginRadial(
    MESSAGE_TYPE,
    elevationNumber,
    status,
    timeMs,
    azimuth,
    elevation,
    1.0,
  );
  sweeps.setRadialLimits(
    <f64> i16be(body + 60) / 100,
    <f64> u16be(body + 6) / 10,
  );

  const surveillanceFirst = <f64> i16be(body + 18) / 1000;
  const dopplerFirst = <f64> i16be(body + 20) / 1000;
  const surveillanceInterval = <f64> u16be(body + 22) / 1000;
  const dopplerInterval = <f64> u16be(body + 24) / 1000;
  const surveillanceGates = <i32> u16be(body + 26);
  const dopplerGates = <i32> u16be(body + 28);
  const velocityScale: f64 = <i32> u16be(body + 42) == VELOCITY_RESOLUTION_HALF
    ? 2
    : 1;

  addGates(
    0,
    <i32> u16be(body + 36),
    surveillanceGates,
    surveillanceFirst,
    surveillanceInterval,
    2,
    66,
    body,
    length,
    at,
    sweeps,
    warnings,
  );
  addGates(
    1,
    <i32> u16be(body + 38),
    dopplerGates,
    dopplerFirst,
    dopplerInterval,
    velocityScale,
    129,
    body,
    length,
    at,
    sweeps,
    warnings,
  );
  addGates(
    2,
    <i32> u16be(body + 40),
    dopplerGates,
    dopplerFirst,
    dopplerInterval,
    2,
    129,
    body,
    length,
    at,
    sweeps,
    warnings,
  );
}

function addGates(
  index: i32,
  pointer: i32,
  gates: i32,
  firstGateKm: f64,
  gateIntervalKm: f64,
  scale: f64,
  offset: f64,
  body: usize,
  length: i32,
  at: f64,
  sweeps: SweepBuilder,
  warnings: Warnings,
): void {
  if (pointer == 0 || gates == 0) return;
  if (pointer < HEADER_BYTES || pointer >= length) {
    warnings.add(W_BAD_RADIAL, at, MESSAGE_TYPE, <f64> pointer);
    return;
  }
  if (pointer + gates > length) {
    gates = length - pointer;
    warnings.add(W_TRUNCATED_MOMENT, at, MESSAGE_TYPE, <f64> gates);
  }
  sweeps.addMoment(
    index,
    body + <usize> pointer,
    gates,
    8,
    firstGateKm,
    gateIntervalKm,
    scale,
    offset,
    warnings,
    at,
    MESSAGE_TYPE,
  );
}
