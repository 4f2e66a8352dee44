// Entropy decoding of one bzip2 block, from just after the block CRC to the
// end-of-block symbol. The result is the block after the Burrows-Wheeler
// transform ("L column"), one byte per position, plus the count of each
// byte value and the origin pointer that the inverse transform needs.
//
// Block layout after the 48-bit block magic and 32-bit block CRC:
//
//   randomised       1 bit
//   origin pointer  24 bits   row of the original block among the sorted rows
//   used ranges     16 bits   bit i set: bytes 16*i..16*i+15 have a map word
//   used bytes      16 bits   per set range bit, bit j: byte 16*i+j occurs
//   group count      3 bits   2 to 6 Huffman tables
//   selector count  15 bits   one selector per 50 symbols
//   selectors                 unary numbers (1-bits ended by a 0-bit),
//                             move-to-front coded table indexes
//   code lengths              per table: 5-bit start, then per symbol
//                             "10" = +1, "11" = -1, "0" = next symbol
//   symbols                   Huffman coded: RUNA and RUNB spell run
//                             lengths in bijective base 2, 2 to 256 are
//                             move-to-front indexes 1 to 255, the last is
//                             end of block

import { BitReader } from "./bit_reader";
import {
  ENTRY_LENGTH_MASK,
  ENTRY_SYMBOL_SHIFT,
  HuffmanTables,
  LOOKUP_BITS,
  LOOKUP_SIZE,
  MAX_ALPHABET,
  MAX_CODE_LENGTH,
  MAX_GROUPS,
} from "./huffman";
import {
  BZIP2_BAD_BLOCK_DATA,
  BZIP2_BAD_BLOCK_HEADER,
  BZIP2_BAD_HUFFMAN,
  BZIP2_OK,
} from "./status";

/** Symbols coded with one selector's table. */
const GROUP_SIZE = 50;
/**
 * Selectors kept: enough for the largest block. libbzip2 1.0.8 reads and
 * ignores any beyond this, and so does this decoder.
 */
const MAX_SELECTORS = 18002;
/** Move-to-front positions below this are shifted with fixed work. */
const FIXED_SHIFT_BYTES: usize = 32;
/**
 * Row i (32 bytes) has bytes 0 to i set: the bytes that moving position i
 * to the front rewrites.
 */
const SHIFT_MASKS = buildShiftMasks();

function buildShiftMasks(): StaticArray<u8> {
  const size = <i32> FIXED_SHIFT_BYTES;
  const masks = new StaticArray<u8>(size * size);
  for (let position = 0; position < size; position++) {
    for (let byte = 0; byte <= position; byte++) {
      masks[position * size + byte] = 0xff;
    }
  }
  return masks;
}

/**
 * Most RUNA/RUNB symbols in one run, as libbzip2 allows: 21 digits already
 * spell runs longer than any block.
 */
const MAX_RUN_DIGITS = 21;

export class BlockDecoder {
  /**
   * The block after the transform, `length` bytes, on the raw heap: a
   * collected array would be zero-filled, making all of the largest block
   * (900 kB) resident at once; here only the bytes a block writes are.
   * BlockWriter.build writes the block's first column over it.
   */
  bytes: usize = 0;
  private capacity: i32 = 0;
  length: i32 = 0;
  /** Occurrences of each byte value in `bytes`. */
  byteCounts: StaticArray<i32> = new StaticArray<i32>(256);
  originPointer: i32 = 0;
  randomised: bool = false;

  private tables: HuffmanTables = new HuffmanTables();
  private selectors: StaticArray<u8> = new StaticArray<u8>(MAX_SELECTORS);
  private codeLengths: StaticArray<u8> = new StaticArray<u8>(MAX_ALPHABET);
  /** Move-to-front list of byte values, most recent first. */
  private recent: StaticArray<u8> = new StaticArray<u8>(256);
  /** Byte values that occur in the block, in ascending order. */
  private usedBytes: StaticArray<u8> = new StaticArray<u8>(256);

  /** Makes room for blocks of up to `maxBlockLength` bytes. */
  reserve(maxBlockLength: i32): void {
    if (this.capacity >= maxBlockLength) return;
    if (this.bytes != 0) heap.free(this.bytes);
    this.bytes = heap.alloc(<usize> maxBlockLength);
    this.capacity = maxBlockLength;
  }

  /** Frees `bytes`. The next block allocates it again. */
  release(): void {
    if (this.bytes != 0) heap.free(this.bytes);
    this.bytes = 0;
    this.capacity = 0;
    this.length = 0;
  }

  /**
   * Reads one block's fields and symbols from `reader`, which must be just
   * past the block CRC. Returns a status code. After a failure the reader
   * is near the offending bits.
   */
  decode(reader: BitReader, maxBlockLength: i32): i32 {
    this.reserve(maxBlockLength);
    this.randomised = reader.readBit();
    this.originPointer = <i32> reader.read(24);
    if (this.originPointer > maxBlockLength + 10) return BZIP2_BAD_BLOCK_HEADER;

    const usedCount = this.readUsedBytes(reader);
    if (usedCount == 0) return BZIP2_BAD_BLOCK_HEADER;
    const alphabetSize = usedCount + 2;

    const groupCount = <i32> reader.read(3);
    if (groupCount < 2 || groupCount > MAX_GROUPS) {
      return BZIP2_BAD_BLOCK_HEADER;
    }
    const selectorCount = this.readSelectors(reader, groupCount);
    if (selectorCount <= 0) return BZIP2_BAD_BLOCK_HEADER;

    for (let group = 0; group < groupCount; group++) {
      if (!this.readCodeLengths(reader, alphabetSize)) return BZIP2_BAD_HUFFMAN;
      if (!this.tables.build(group, this.codeLengths, alphabetSize)) {
        return BZIP2_BAD_HUFFMAN;
      }
    }

    const status = this.decodeSymbols(
      reader,
      usedCount,
      selectorCount,
      maxBlockLength,
    );
    if (status != BZIP2_OK) return status;
    if (this.originPointer >= this.length) return BZIP2_BAD_BLOCK_HEADER;
    return BZIP2_OK;
  }

  /** Reads the two-level map of used byte values; returns their count. */
  private readUsedBytes(reader: BitReader): i32 {
    const ranges = reader.read(16);
    let count = 0;
    for (let i = 0; i < 16; i++) {
      if ((ranges & (0x8000 >>> i)) == 0) continue;
      const bytes = reader.read(16);
      for (let j = 0; j < 16; j++) {
        if (bytes & (0x8000 >>> j)) {
          unchecked(this.usedBytes[count++] = <u8> (i * 16 + j));
        }
      }
    }
    return count;
  }

  /**
   * Reads the selectors and undoes their move-to-front coding. Returns the
   * number kept, or 0 when the count or an index is invalid.
   */
  private readSelectors(reader: BitReader, groupCount: i32): i32 {
    const count = <i32> reader.read(15);
    if (count == 0) return 0;

    let order: u32 = 0x543210; // move-to-front list, 4 bits per group
    for (let i = 0; i < count; i++) {
      let index = 0;
      while (reader.readBit()) {
        index++;
        if (index >= groupCount) return 0;
      }
      // Move entry `index` of the packed list to the front.
      const shift = <u32> index << 2;
      const group = (order >>> shift) & 15;
      const below = order & ((<u32> 1 << shift) - 1);
      order = (order & ~((<u32> 16 << shift) - 1)) | (below << 4) | group;
      if (i < MAX_SELECTORS) unchecked(this.selectors[i] = <u8> group);
    }
    return min(count, MAX_SELECTORS);
  }

  /** Reads one table's delta-coded lengths into `codeLengths`. */
  private readCodeLengths(reader: BitReader, alphabetSize: i32): bool {
    let length = <i32> reader.read(5);
    for (let symbol = 0; symbol < alphabetSize; symbol++) {
      while (true) {
        if (length < 1 || length > MAX_CODE_LENGTH) return false;
        if (!reader.readBit()) break;
        length += reader.readBit() ? -1 : 1;
      }
      unchecked(this.codeLengths[symbol] = <u8> length);
    }
    return true;
  }

  /**
   * Decodes the symbols into `bytes`, undoing the run-length and
   * move-to-front stages. This is the hot loop: the bit buffer lives in
   * locals and is written back to `reader` on every exit.
   */
  private decodeSymbols(
    reader: BitReader,
    usedCount: i32,
    selectorCount: i32,
    maxBlockLength: i32,
  ): i32 {
    const endOfBlock = usedCount + 1;
    const recent = changetype<usize>(this.recent);
    const shiftMasks = changetype<usize>(SHIFT_MASKS);
    memory.copy(recent, changetype<usize>(this.usedBytes), usedCount);
    const counts = changetype<usize>(this.byteCounts);
    memory.fill(counts, 0, 256 << 2);
    const output = this.bytes;
    const lookupBase = changetype<usize>(this.tables.lookup);
    const selectors = changetype<usize>(this.selectors);

    let buffer = reader.buffer;
    let count = reader.count;
    let position = reader.position;
    const input = reader.input;
    const inputLength = reader.length;

    let length = 0;
    let selectorIndex = 0;
    let groupLeft = 0;
    let group = 0;
    let lookup: usize = 0;
    let runLength = 0;
    let runDigits = 0;
    let status = BZIP2_OK;

    while (true) {
      if (groupLeft == 0) {
        if (selectorIndex >= selectorCount) {
          status = BZIP2_BAD_BLOCK_DATA;
          break;
        }
        group = <i32> load<u8>(selectors + selectorIndex);
        selectorIndex++;
        lookup = lookupBase + (<usize> (group * LOOKUP_SIZE) << 1);
        groupLeft = GROUP_SIZE;
      }
      groupLeft--;

      if (count < 32) {
        if (position + 4 <= inputLength) {
          const word = bswap<u32>(load<u32>(input + position));
          buffer = (buffer << 32) | <u64> word;
          position += 4;
          count += 32;
        } else {
          reader.buffer = buffer;
          reader.count = count;
          reader.position = position;
          reader.refillNearEnd();
          buffer = reader.buffer;
          count = reader.count;
          position = reader.position;
        }
      }

      const peek = <u32> (buffer >>> <u64> (count - LOOKUP_BITS)) &
        (LOOKUP_SIZE - 1);
      let entry = <i32> load<u16>(lookup + (<usize> peek << 1));
      if (entry == 0) {
        const bits = <u32> (buffer >>> <u64> (count - MAX_CODE_LENGTH)) &
          ((1 << MAX_CODE_LENGTH) - 1);
        entry = this.tables.decodeLong(group, bits);
        if (entry < 0) {
          status = BZIP2_BAD_HUFFMAN;
          break;
        }
      }
      count -= entry & ENTRY_LENGTH_MASK;
      const symbol = entry >>> ENTRY_SYMBOL_SHIFT;

      // RUNA (0) adds 1 << digit, RUNB (1) adds 2 << digit.
      if (symbol <= 1) {
        if (runDigits >= MAX_RUN_DIGITS) {
          status = BZIP2_BAD_BLOCK_DATA;
          break;
        }
        runLength += (symbol + 1) << runDigits;
        runDigits++;
        continue;
      }

      if (runLength > 0) {
        if (runLength > maxBlockLength - length) {
          status = BZIP2_BAD_BLOCK_DATA;
          break;
        }
        const value = <u32> load<u8>(recent);
        memory.fill(output + length, <u8> value, runLength);
        const slot = counts + (<usize> value << 2);
        store<i32>(slot, load<i32>(slot) + runLength);
        length += runLength;
        runLength = 0;
        runDigits = 0;
      }

      if (symbol == endOfBlock) break;

      if (length >= maxBlockLength) {
        status = BZIP2_BAD_BLOCK_DATA;
        break;
      }
      // Move-to-front position symbol - 1: take that byte and shift the
      // ones before it up by one. Near the front, which is the most common
      // case, the first 32 bytes are shifted as two 128-bit vectors and a
      // per-position mask keeps the bytes past that position. That fixed
      // amount of work is faster than a copy whose length varies.
      const index = <usize> (symbol - 1);
      const value = load<u8>(recent + index);
      if (index < FIXED_SHIFT_BYTES) {
        const masks = shiftMasks + (index << 5);
        const low = v128.load(recent);
        const high = v128.load(recent, 16);
        // Lane k of a shifted vector is byte k - 1, and lane 0 of the low
        // one the byte moved to the front.
        const front = i8x16.splat(<i8> value);
        // deno-fmt-ignore
        const lowShifted = i8x16.shuffle(front, low,
          0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
        // deno-fmt-ignore
        const highShifted = i8x16.shuffle(low, high,
          15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
        v128.store(recent, v128.bitselect(lowShifted, low, v128.load(masks)));
        v128.store(
          recent,
          v128.bitselect(highShifted, high, v128.load(masks, 16)),
          16,
        );
      } else {
        // Further back (a third of the moves in NEXRAD records): the same
        // shift, one vector at a time up to the vector that contains the
        // position, which is kept under its mask as above. With a
        // memory.copy of variable length here instead, which calls out of
        // the module, the symbols of those records decoded 6% slower.
        const last = recent + (index & ~15);
        const mask = shiftMasks + ((index & 15) << 5);
        let carry = i8x16.splat(<i8> value);
        let at = recent;
        while (at < last) {
          const vector = v128.load(at);
          // deno-fmt-ignore
          v128.store(at, i8x16.shuffle(carry, vector,
            15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30));
          carry = vector;
          at += 16;
        }
        const vector = v128.load(last);
        // deno-fmt-ignore
        const shifted = i8x16.shuffle(carry, vector,
          15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
        v128.store(last, v128.bitselect(shifted, vector, v128.load(mask)));
      }
      store<u8>(output + length, value);
      length++;
      const slot = counts + (<usize> value << 2);
      store<i32>(slot, load<i32>(slot) + 1);
    }

    reader.buffer = buffer;
    reader.count = count;
    reader.position = position;
    this.length = length;
    return status;
  }
}
