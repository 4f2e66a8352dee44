// Inverse Burrows-Wheeler transform of a bzip2 block, fused with the
// undoing of the first run-length stage, the block CRC and, for old
// blocks, the undoing of the randomisation.
//
// The transform vector holds, for each row j of the sorted rotations,
// (next << 8) | first, where `first` is the row's first byte and `next` is
// the row that starts one byte later in the block. Walking it from the
// origin pointer yields the block in order, one dependent load per byte.
//
// The first run-length stage (applied before the transform): four equal
// bytes are followed by a count byte 0-255 of further copies.

import { CRC_INITIAL, crcByteTable, crcUpdateByte, crcUpdateRun } from "./crc";
import { OutputBuffer, SLACK } from "./output";
import { RANDOM_TABLE, RANDOM_TABLE_LENGTH } from "./random_table";
import { BZIP2_OK, BZIP2_OUTPUT_LIMIT } from "./status";

/** Sentinel "previous byte" that equals no byte value. */
const NO_BYTE: u32 = 0x100;

export class BlockWriter {
  /**
   * The transform vector, sized for the largest block seen, on the raw
   * heap so that it is not zero-filled: only the rows a block fills
   * become resident, not 3.6 MB for every stream of level 9.
   */
  private vector: usize = 0;
  private capacity: i32 = 0;
  /** CRC of the bytes that the last write call appended. */
  crc: u32 = 0;

  /** Frees the transform vector. The next block allocates it again. */
  release(): void {
    if (this.vector != 0) heap.free(this.vector);
    this.vector = 0;
    this.capacity = 0;
  }

  /**
   * Fills the transform vector for the `length` bytes of `block`, whose
   * byte value counts are `byteCounts` (overwritten: they become the start
   * rows of each value). `capacity` is the largest block of the stream.
   */
  build(
    block: usize,
    byteCounts: StaticArray<i32>,
    length: i32,
    capacity: i32,
  ): void {
    if (this.capacity < length) {
      if (this.vector != 0) heap.free(this.vector);
      const rows = max(capacity, length);
      this.vector = heap.alloc(<usize> rows << 2);
      this.capacity = rows;
    }
    let total = 0;
    for (let value = 0; value < 256; value++) {
      const count = unchecked(byteCounts[value]);
      unchecked(byteCounts[value] = total);
      total += count;
    }
    const rows = this.vector;
    const starts = changetype<usize>(byteCounts);
    const bytes = block;
    for (let i = 0; i < length; i++) {
      const value = <u32> load<u8>(bytes + i);
      const slot = starts + (<usize> value << 2);
      const row = load<i32>(slot);
      store<i32>(slot, row + 1);
      store<u32>(rows + (<usize> row << 2), (<u32> i << 8) | value);
    }
  }

  /**
   * Walks the vector for `length` steps from `origin`, undoes the
   * run-length stage and appends the bytes to `output`, keeping their CRC
   * in `crc`. Returns BZIP2_OK or BZIP2_OUTPUT_LIMIT.
   */
  write(origin: i32, length: i32, output: OutputBuffer): i32 {
    const rows = this.vector;
    const crcTable = crcByteTable();
    let crc = CRC_INITIAL;
    let base = output.pointer();
    let out = base + output.length;
    let end = base + output.capacity;
    let row = <u32> origin;
    let left = length;
    let previous = NO_BYTE;
    let run = 0;

    while (left > 0) {
      if (out > end) {
        // The last step ran into the slack: grow, or stop at the ceiling.
        const written = <i32> (out - base);
        output.length = written;
        if (!output.grow(written + SLACK)) return BZIP2_OUTPUT_LIMIT;
        base = output.pointer();
        out = base + written;
        end = base + output.capacity;
      }

      let entry = load<u32>(rows + (<usize> row << 2));
      row = entry >>> 8;
      const value = entry & 0xff;
      left--;
      store<u8>(out, <u8> value);
      out++;
      crc = crcUpdateByte(crcTable, crc, value);
      if (value != previous) {
        previous = value;
        run = 1;
        continue;
      }
      run++;
      if (run < 4 || left == 0) continue;

      // Fourth equal byte: the next byte counts further copies.
      entry = load<u32>(rows + (<usize> row << 2));
      row = entry >>> 8;
      const copies = entry & 0xff;
      left--;
      memory.fill(out, <u8> value, copies);
      out += copies;
      crc = crcUpdateRun(crc, value, copies);
      previous = NO_BYTE;
      run = 0;
    }

    this.crc = ~crc;
    return this.finish(output, <i32> (out - base));
  }

  /**
   * Same as `write` for a randomised block: the lowest bit of each byte
   * the table selects is flipped back before the run-length stage.
   */
  writeRandomised(origin: i32, length: i32, output: OutputBuffer): i32 {
    const rows = this.vector;
    const crcTable = crcByteTable();
    let crc = CRC_INITIAL;
    let base = output.pointer();
    let out = base + output.length;
    let end = base + output.capacity;
    let row = <u32> origin;
    let left = length;
    let previous = NO_BYTE;
    let run = 0;
    let tableIndex = 0;
    let untilFlip = 0;

    while (left > 0) {
      if (out > end) {
        const written = <i32> (out - base);
        output.length = written;
        if (!output.grow(written + SLACK)) return BZIP2_OUTPUT_LIMIT;
        base = output.pointer();
        out = base + written;
        end = base + output.capacity;
      }

      const entry = load<u32>(rows + (<usize> row << 2));
      row = entry >>> 8;
      let value = entry & 0xff;
      left--;
      if (untilFlip == 0) {
        untilFlip = <i32> unchecked(RANDOM_TABLE[tableIndex]);
        tableIndex = (tableIndex + 1) % RANDOM_TABLE_LENGTH;
      }
      untilFlip--;
      if (untilFlip == 1) value ^= 1;

      if (run == 4) {
        memory.fill(out, <u8> previous, value);
        out += value;
        crc = crcUpdateRun(crc, previous, value);
        previous = NO_BYTE;
        run = 0;
        continue;
      }
      store<u8>(out, <u8> value);
      out++;
      crc = crcUpdateByte(crcTable, crc, value);
      if (value != previous) {
        previous = value;
        run = 1;
      } else {
        run++;
      }
    }

    this.crc = ~crc;
    return this.finish(output, <i32> (out - base));
  }

  private finish(output: OutputBuffer, written: i32): i32 {
    output.length = written;
    return written > output.ceiling ? BZIP2_OUTPUT_LIMIT : BZIP2_OK;
  }
}
