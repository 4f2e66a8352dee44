// Message 5, Volume Coverage Pattern Data (ICD 2620002, section 3.2.4.12,
// Table XI). Offsets are bytes from the end of the 16-byte message header.
// The message is 22 + 46 x cuts bytes; the first one in a volume is used.
//
//   0        2         4        6         8 ... 22
//   +--------+---------+--------+---------+---------------------+
//   | length | pattern | VCP    | number  | version, clutter    |
//   | hw     | type    | number | of cuts | group, resolution...|
//   +--------+---------+--------+---------+---------------------+
//   then per elevation cut, 46 bytes:
//   0               2          3          4 ... 46
//   +---------------+----------+----------+----------------------+
//   | elevation     | channel  | waveform | PRFs, thresholds,    |
//   | angle code    | config.  | type     | sector edges ...     |
//   +---------------+----------+----------+----------------------+
//
// Angle codes are degrees x 65536 / 360.

import { u16be } from "./bytes";
import { W_BAD_VCP, W_EMPTY_VCP } from "./layout";
import { VolumeState } from "./volume_state";
import { Warnings } from "./warnings";

const MESSAGE_TYPE = 5;
const HEADER_BYTES = 22;
const CUT_BYTES = 46;
/** More cuts than any pattern the ICD defines means a damaged message. */
const MAX_CUTS = 32;
const DEGREES_PER_CODE: f64 = 360.0 / 65536.0;

/** Decodes message 5 into `volume` unless an earlier one was decoded. */
export function decodeVolumeCoveragePattern(
  body: usize,
  length: i32,
  at: f64,
  volume: VolumeState,
  warnings: Warnings,
): void {
  if (volume.vcpNumber >= 0) return;
  if (length < HEADER_BYTES) {
    warnings.add(W_EMPTY_VCP, at, MESSAGE_TYPE, <f64> length);
    return;
  }
  const cutCount = <i32> u16be(body + 6);
  if (cutCount == 0) {
    warnings.add(W_EMPTY_VCP, at, MESSAGE_TYPE, 0);
    return;
  }
  if (cutCount > MAX_CUTS || HEADER_BYTES + CUT_BYTES * cutCount > length) {
    warnings.add(W_BAD_VCP, at, MESSAGE_TYPE, <f64> cutCount);
    return;
  }
  volume.vcpNumber = <i32> u16be(body + 4);
  volume.cuts.clear();
  const slots = volume.cuts.reserve(cutCount * 16);
  for (let i = 0; i < cutCount; i++) {
    const cut = body + <usize> (HEADER_BYTES + CUT_BYTES * i);
    const angle = <f64> u16be(cut) * DEGREES_PER_CODE;
    store<f64>(slots + <usize> (i * 16), angle);
    store<f64>(slots + <usize> (i * 16 + 8), <f64> load<u8>(cut + 3));
  }
  volume.cuts.length = cutCount * 16;
  volume.cutCount = cutCount;
}
