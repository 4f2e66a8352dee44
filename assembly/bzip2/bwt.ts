// Inverse Burrows-Wheeler transform of a bzip2 block, fused with the
// undoing of the first run-length stage, the block CRC and, for old
// blocks, the undoing of the randomisation.
//
// Row j of the sorted rotations starts with the byte first[j] (the first
// column, which is the block's bytes in sorted order) and is followed by
// row next[j], the rotation that starts one byte later. Walking next from
// the origin pointer yields the block in order, one dependent load per
// byte, and that chain of loads from a table of megabytes is what the
// inverse transform's time goes to. So the walk of a large block uses a
// pair table that contains, for each row j, next[next[j]] and
// first[next[j]]: two bytes per dependent load. Building it takes one more
// pass over the rows, whose loads do not depend on each other and so
// overlap.
//
// The first run-length stage (applied before the transform): four equal
// bytes are followed by a count byte 0-255 of further copies.

import { CRC_INITIAL, crcByteTable, crcUpdateByte, crcUpdateRun } from "./crc";
import { OutputBuffer } from "./output";
import { RANDOM_TABLE, RANDOM_TABLE_LENGTH } from "./random_table";
import { BZIP2_OK, BZIP2_OUTPUT_LIMIT } from "./status";

/** Sentinel "previous byte" that equals no byte value. */
const NO_BYTE: u32 = 0x100;
/**
 * Bytes of a next-table entry, as rows are below 2^24. An entry is read as
 * an unaligned u32 and masked, so the table has one spare byte at its end.
 */
const NEXT_BYTES: usize = 3;
const NEXT_MASK: u32 = 0xffffff;
/**
 * Blocks of fewer rows are walked one byte a step and leave the pair table
 * unfilled, so its 4 bytes a row take no memory. On such blocks the table
 * saves little: the walk of a 190,000-row block took about 7% longer
 * without it.
 */
const MIN_PAIRED_ROWS = 200000;

export class BlockWriter {
  /**
   * The next table (NEXT_BYTES a row) and the pair table (a u32 a row),
   * sized for the largest block seen. They are on the raw heap so that they
   * are not zero-filled: only the rows a block fills become resident, not
   * 6.3 MB for every stream of level 9.
   */
  private next: usize = 0;
  private pairs: usize = 0;
  private capacity: i32 = 0;
  /** The first column, written over the block by `build`. */
  private first: usize = 0;
  /** True when `build` made the pair table for the block. */
  private paired: bool = false;
  /** True when the block is randomised (see `writeBytes`). */
  private randomised: bool = false;
  /** CRC of the bytes that the last write call appended. */
  crc: u32 = 0;

  /** Makes room for blocks of up to `rows` bytes. */
  reserve(rows: i32): void {
    if (this.capacity >= rows) return;
    this.release();
    this.next = heap.alloc(<usize> rows * NEXT_BYTES + 1);
    this.pairs = heap.alloc(<usize> rows << 2);
    this.capacity = rows;
  }

  /** Frees the tables. The next block allocates them again. */
  release(): void {
    if (this.next != 0) heap.free(this.next);
    if (this.pairs != 0) heap.free(this.pairs);
    this.next = 0;
    this.pairs = 0;
    this.capacity = 0;
  }

  /**
   * Makes the tables for the `length` bytes of `block`, whose byte value
   * counts are `byteCounts`, and writes the first column over `block`.
   * `byteCounts` is overwritten. `capacity` is the largest block of the
   * stream. A randomised or small block is walked one byte at a time, so
   * it gets no pair table.
   */
  build(
    block: usize,
    byteCounts: StaticArray<i32>,
    length: i32,
    capacity: i32,
    randomised: bool,
  ): void {
    this.reserve(max(capacity, length));
    let total = 0;
    for (let value = 0; value < 256; value++) {
      const count = unchecked(byteCounts[value]);
      unchecked(byteCounts[value] = total);
      total += count;
    }

    // The block is the last column. Its k-th v ends row i, and the same
    // rotation shifted by one byte starts with v: row starts[v] + k.
    const next = this.next;
    const starts = changetype<usize>(byteCounts);
    for (let i = 0; i < length; i++) {
      const slot = starts + (<usize> load<u8>(block + i) << 2);
      const row = load<i32>(slot);
      store<i32>(slot, row + 1);
      const entry = next + <usize> row * NEXT_BYTES;
      store<u16>(entry, <u16> i);
      store<u8>(entry, <u8> (i >>> 16), 2);
    }

    // The first column over the block: each value's rows now end where
    // the next value's start.
    let row = 0;
    for (let value = 0; value < 256; value++) {
      const end = unchecked(byteCounts[value]);
      memory.fill(block + row, <u8> value, end - row);
      row = end;
    }
    this.first = block;
    this.randomised = randomised;
    this.paired = !randomised && length >= MIN_PAIRED_ROWS;
    if (!this.paired) return;

    // Unlike the walk, no load here waits for another, so they overlap.
    const pairs = this.pairs;
    for (let j = 0; j < length; j++) {
      const step = load<u32>(next + <usize> j * NEXT_BYTES) & NEXT_MASK;
      const twoSteps = load<u32>(next + <usize> step * NEXT_BYTES) & NEXT_MASK;
      const byte = <u32> load<u8>(block + step);
      store<u32>(pairs + (<usize> j << 2), (twoSteps << 8) | byte);
    }
  }

  /**
   * Walks the tables that `build` made for `length` bytes from `origin`,
   * undoes the run-length stage and appends the bytes to `output`, keeping
   * their CRC in `crc`. Returns BZIP2_OK or BZIP2_OUTPUT_LIMIT.
   */
  write(origin: i32, length: i32, output: OutputBuffer): i32 {
    if (!this.paired) return this.writeBytes(origin, length, output);
    const pairs = this.pairs;
    const first = this.first;
    const crcTable = crcByteTable();
    let crc = CRC_INITIAL;
    let base = output.pointer();
    let out = base + output.length;
    let end = base + output.capacity;
    let row = <u32> origin;
    let previous = NO_BYTE;
    let run = 0;

    const start = output.length;
    for (let left = length; left > 0; left -= 2) {
      if (out > end) {
        // The last pair ran into the slack: grow, or stop at the ceiling.
        // Only the bytes written must fit under the ceiling, because the
        // slack past the capacity takes the next step's writes.
        const written = <i32> (out - base);
        output.length = written;
        output.expectBlock(start, length - left, length);
        if (!output.grow(written)) return BZIP2_OUTPUT_LIMIT;
        base = output.pointer();
        out = base + written;
        end = base + output.capacity;
      }

      // The two bytes take the same steps, written out twice so that the
      // state stays in locals.
      const pair = load<u32>(pairs + (<usize> row << 2));
      const head = <u32> load<u8>(first + row);
      row = pair >>> 8;
      if (run == 4) {
        // Four equal bytes so far: this byte counts further copies.
        memory.fill(out, <u8> previous, head);
        out += head;
        crc = crcUpdateRun(crc, previous, head);
        previous = NO_BYTE;
        run = 0;
      } else {
        store<u8>(out, <u8> head);
        out++;
        crc = crcUpdateByte(crcTable, crc, head);
        run = select<i32>(run + 1, 1, head == previous);
        previous = head;
      }
      if (left == 1) break;
      const tail = pair & 0xff;
      if (run == 4) {
        memory.fill(out, <u8> previous, tail);
        out += tail;
        crc = crcUpdateRun(crc, previous, tail);
        previous = NO_BYTE;
        run = 0;
      } else {
        store<u8>(out, <u8> tail);
        out++;
        crc = crcUpdateByte(crcTable, crc, tail);
        run = select<i32>(run + 1, 1, tail == previous);
        previous = tail;
      }
    }

    this.crc = ~crc;
    return this.finish(output, <i32> (out - base));
  }

  /**
   * Same as `write`, one byte a step along the next table. In a
   * randomised block the lowest bit of each byte the table selects is
   * flipped back before the run-length stage.
   */
  private writeBytes(origin: i32, length: i32, output: OutputBuffer): i32 {
    const randomised = this.randomised;
    const next = this.next;
    const first = this.first;
    const crcTable = crcByteTable();
    let crc = CRC_INITIAL;
    let base = output.pointer();
    let out = base + output.length;
    let end = base + output.capacity;
    let row = <u32> origin;
    let previous = NO_BYTE;
    let run = 0;
    let tableIndex = 0;
    let untilFlip = 0;

    const start = output.length;
    for (let i = 0; i < length; i++) {
      if (out > end) {
        const written = <i32> (out - base);
        output.length = written;
        output.expectBlock(start, i, length);
        if (!output.grow(written)) return BZIP2_OUTPUT_LIMIT;
        base = output.pointer();
        out = base + written;
        end = base + output.capacity;
      }

      let value = <u32> load<u8>(first + row);
      row = load<u32>(next + <usize> row * NEXT_BYTES) & NEXT_MASK;
      if (randomised) {
        if (untilFlip == 0) {
          untilFlip = <i32> unchecked(RANDOM_TABLE[tableIndex]);
          tableIndex = (tableIndex + 1) % RANDOM_TABLE_LENGTH;
        }
        untilFlip--;
        if (untilFlip == 1) value ^= 1;
      }

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
      run = select<i32>(run + 1, 1, value == previous);
      previous = value;
    }

    this.crc = ~crc;
    return this.finish(output, <i32> (out - base));
  }

  private finish(output: OutputBuffer, written: i32): i32 {
    output.length = written;
    return written > output.ceiling ? BZIP2_OUTPUT_LIMIT : BZIP2_OK;
  }
}
