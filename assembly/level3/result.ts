// Collects what the decoder found and serialises it in the layout that
// layout.ts describes, so the TypeScript side copies one buffer out.

import {
  DATA_NONE,
  DEPENDENT_OFFSET,
  RESULT_SLOTS,
  SLOT_AZIMUTHS_OFFSET,
  SLOT_CODE_BYTES,
  SLOT_CODES_OFFSET,
  SLOT_DATA_KIND,
  SLOT_LAYERS_OFFSET,
  SLOT_PACKET_COUNT,
  SLOT_RADIAL_COUNT,
  SLOT_WARNING_COUNT,
  SLOT_WARNINGS_OFFSET,
  THRESHOLDS_OFFSET,
  VARIABLE_OFFSET,
} from "./layout";

/** Most warnings kept; later ones are counted in the last slot only. */
const MAX_WARNINGS = 64;
/** Most (layer, packet code) pairs kept for the packet list. */
const MAX_PACKETS = 4096;

export class Result {
  slots: StaticArray<i32> = new StaticArray<i32>(RESULT_SLOTS);
  thresholds: StaticArray<u16> = new StaticArray<u16>(16);
  dependent: StaticArray<u16> = new StaticArray<u16>(10);
  packets: Array<u32> = new Array<u32>();
  warnings: Array<i32> = new Array<i32>();
  azimuthsDeg: Float32Array = new Float32Array(0);
  spacingsDeg: Float32Array = new Float32Array(0);
  binCounts: Uint16Array = new Uint16Array(0);
  codes8: Uint8Array = new Uint8Array(0);
  codes16: Uint16Array = new Uint16Array(0);
  /** Added to warning offsets: DESCRIPTION_END while walking decompressed bytes. */
  offsetBias: i32 = 0;

  constructor() {
    this.slots[SLOT_DATA_KIND] = DATA_NONE;
    this.slots[SLOT_CODE_BYTES] = 1;
  }

  set(slot: i32, value: i32): void {
    this.slots[slot] = value;
  }

  get(slot: i32): i32 {
    return this.slots[slot];
  }

  warn(code: i32, offset: i32, packetCode: i32): void {
    if (this.warnings.length >= MAX_WARNINGS * 3) return;
    this.warnings.push(code);
    this.warnings.push(offset + this.offsetBias);
    this.warnings.push(packetCode);
  }

  /** Records that `layer` (0-based) contains a packet with `code`. */
  addPacket(layer: i32, code: u32): void {
    if (this.packets.length >= MAX_PACKETS) return;
    this.packets.push((<u32> layer << 16) | (code & 0xffff));
  }

  /** Drops the radials from `count` on, after a truncated packet. */
  keepRadials(count: i32, binCount: i32): void {
    this.slots[SLOT_RADIAL_COUNT] = count;
    this.azimuthsDeg = this.azimuthsDeg.subarray(0, count);
    this.spacingsDeg = this.spacingsDeg.subarray(0, count);
    this.binCounts = this.binCounts.subarray(0, count);
    this.codes8 = this.codes8.subarray(0, count * binCount);
    if (count == 0) this.slots[SLOT_DATA_KIND] = DATA_NONE;
  }

  hasData(): bool {
    return this.slots[SLOT_DATA_KIND] != DATA_NONE;
  }

  serialize(): ArrayBuffer {
    const packetBytes = this.packets.length * 4;
    const warningBytes = this.warnings.length * 4;
    const radials = this.azimuthsDeg.length;
    const codeBytes = this.codes16.length > 0
      ? this.codes16.length * 2
      : this.codes8.length;

    const layersOffset = VARIABLE_OFFSET;
    const warningsOffset = layersOffset + packetBytes;
    const azimuthsOffset = warningsOffset + warningBytes;
    // Radial arrays: two float32 and one uint16 per radial, padded to 4.
    const codesOffset = azimuthsOffset + ((radials * 10 + 3) & ~3);
    const total = codesOffset + codeBytes;

    this.slots[SLOT_PACKET_COUNT] = this.packets.length;
    this.slots[SLOT_LAYERS_OFFSET] = layersOffset;
    this.slots[SLOT_WARNING_COUNT] = this.warnings.length / 3;
    this.slots[SLOT_WARNINGS_OFFSET] = warningsOffset;
    this.slots[SLOT_AZIMUTHS_OFFSET] = azimuthsOffset;
    this.slots[SLOT_CODES_OFFSET] = codesOffset;
    if (this.codes16.length > 0) this.slots[SLOT_CODE_BYTES] = 2;

    const out = new ArrayBuffer(total);
    const base = changetype<usize>(out);
    for (let i = 0; i < RESULT_SLOTS; i++) {
      store<i32>(base + <usize> (i * 4), this.slots[i]);
    }
    for (let i = 0; i < 16; i++) {
      store<u16>(
        base + <usize> (THRESHOLDS_OFFSET + i * 2),
        this.thresholds[i],
      );
    }
    for (let i = 0; i < 10; i++) {
      store<u16>(base + <usize> (DEPENDENT_OFFSET + i * 2), this.dependent[i]);
    }
    for (let i = 0; i < this.packets.length; i++) {
      store<u32>(base + <usize> (layersOffset + i * 4), this.packets[i]);
    }
    for (let i = 0; i < this.warnings.length; i++) {
      store<i32>(base + <usize> (warningsOffset + i * 4), this.warnings[i]);
    }
    if (radials > 0) {
      memory.copy(
        base + <usize> azimuthsOffset,
        this.azimuthsDeg.dataStart,
        <usize> radials * 4,
      );
      memory.copy(
        base + <usize> (azimuthsOffset + radials * 4),
        this.spacingsDeg.dataStart,
        <usize> radials * 4,
      );
      memory.copy(
        base + <usize> (azimuthsOffset + radials * 8),
        this.binCounts.dataStart,
        <usize> radials * 2,
      );
    }
    if (this.codes16.length > 0) {
      memory.copy(
        base + <usize> codesOffset,
        this.codes16.dataStart,
        codeBytes,
      );
    } else if (codeBytes > 0) {
      memory.copy(base + <usize> codesOffset, this.codes8.dataStart, codeBytes);
    }
    return out;
  }
}
