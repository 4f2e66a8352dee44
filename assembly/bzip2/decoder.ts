// bzip2 decompression inside the module, for decoders that hold compressed
// bytes in linear memory (Level 2 LDM records, Level 3 symbology blocks).
//
// Usage from AssemblyScript:
//
//   import { Bzip2Decoder } from "../bzip2/decoder";
//   import { BZIP2_OK } from "../bzip2/status";
//
//   const bzip2 = new Bzip2Decoder(); // keep one: it reuses its storage
//   const status = bzip2.decompress(pointer, length, 64 << 20);
//   if (status != BZIP2_OK) {
//     // bzip2.errorOffset: input byte where decoding stopped;
//     // bzip2.expectedCrc / bzip2.computedCrc after a CRC mismatch;
//     // bzip2.verifiedLength: leading output bytes from blocks whose CRC
//     // matched, still readable at bzip2.outputPointer()
//   } else {
//     // bzip2.outputPointer() and bzip2.outputLength(): the decompressed
//     // bytes, valid until the next decompress or release call
//   }
//   bzip2.release(); // frees the output and the 7.2 MB of block tables
//
// The input is one or more concatenated bzip2 streams ("BZh1" to "BZh9"),
// nothing before or between them and nothing after the last. Randomised
// blocks (bzip2 0.9.0 and 0.9.5) are decoded. Every block CRC and every
// stream CRC is checked. Bad data never aborts: it returns a status code
// from ./status. The output grows as needed up to the ceiling the caller
// sets; a larger output returns BZIP2_OUTPUT_LIMIT.
//
// Stream layout: "BZh", a block size digit (blocks of at most digit *
// 100,000 bytes before the transform), then blocks, each opened by the
// 48-bit magic 0x314159265359 and a 32-bit CRC of its decompressed bytes,
// then the end-of-stream magic 0x177245385090, a 32-bit CRC combining the
// block CRCs, and zero bits up to the next byte.

import { BitReader } from "./bit_reader";
import { BlockDecoder } from "./block";
import { BlockWriter } from "./bwt";
import { MAX_CEILING, OutputBuffer } from "./output";
import {
  BZIP2_BAD_BLOCK_HEADER,
  BZIP2_BAD_MAGIC,
  BZIP2_CRC_MISMATCH,
  BZIP2_OK,
  BZIP2_STREAM_CRC_MISMATCH,
  BZIP2_TRUNCATED,
} from "./status";

const BLOCK_MAGIC_HIGH: u32 = 0x314159;
const BLOCK_MAGIC_LOW: u32 = 0x265359;
const END_MAGIC_HIGH: u32 = 0x177245;
const END_MAGIC_LOW: u32 = 0x385090;
/** "BZh" read as a 24-bit number. */
const STREAM_MAGIC: u32 = 0x425a68;
/** Expected first guess of the output size, as a multiple of the input. */
const EXPECTED_RATIO = 8;

export class Bzip2Decoder {
  /** Status of the last `decompress` call. */
  status: i32 = BZIP2_OK;
  /**
   * Input byte offset of the last call's error: where the failing stream
   * or block starts, or the input length when the input is truncated.
   */
  errorOffset: i32 = 0;
  /** Stored CRC, after BZIP2_CRC_MISMATCH or BZIP2_STREAM_CRC_MISMATCH. */
  expectedCrc: u32 = 0;
  /** CRC of the decompressed bytes, after a CRC mismatch. */
  computedCrc: u32 = 0;
  /**
   * Output bytes of the last call that come from blocks whose CRC matched.
   * After a failure they are still at `outputPointer()`; a damaged block
   * and everything after it is not.
   */
  verifiedLength: i32 = 0;

  private reader: BitReader = new BitReader();
  private block: BlockDecoder = new BlockDecoder();
  private writer: BlockWriter = new BlockWriter();
  private output: OutputBuffer = new OutputBuffer();

  /**
   * Decompresses `length` bytes at `input`, producing at most
   * `maxOutputBytes` bytes. Returns a status code from ./status, also kept
   * in `status`.
   */
  decompress(input: usize, length: i32, maxOutputBytes: i32): i32 {
    this.errorOffset = 0;
    this.verifiedLength = 0;
    this.expectedCrc = 0;
    this.computedCrc = 0;
    this.reader.reset(input, length);
    // The block tables for the first stream's level go before the output.
    // The output is then the last allocation, so it can often grow in place
    // instead of moving and leaving its old copy resident, which matters for
    // a whole-file volume's output of tens of megabytes.
    if (length >= 4 && bswap<u32>(load<u32>(input)) >>> 8 == STREAM_MAGIC) {
      const level = <i32> load<u8>(input + 3) - 0x30;
      if (level >= 1 && level <= 9) {
        this.block.reserve(level * 100000);
        this.writer.reserve(level * 100000);
      }
    }
    const expected = <i32> min(
      <i64> length * EXPECTED_RATIO,
      <i64> i32.MAX_VALUE,
    );
    this.output.reset(maxOutputBytes, expected);

    let status = BZIP2_OK;
    do {
      status = this.decompressStream();
    } while (status == BZIP2_OK && this.reader.byteOffset() < length);
    this.status = status;
    return status;
  }

  /** Address of the decompressed bytes of the last call. */
  outputPointer(): usize {
    return this.output.pointer();
  }

  /** Number of decompressed bytes of the last call. */
  outputLength(): i32 {
    return this.status == BZIP2_OK ? this.output.length : 0;
  }

  /**
   * Frees the output, the block and the transform tables, which the next
   * call allocates again.
   */
  release(): void {
    this.output.shrink(0);
    this.releaseTables();
  }

  /**
   * Frees the block and the transform tables but keeps the output, so
   * that what the caller allocates while it reads the output can reuse
   * their memory.
   */
  releaseTables(): void {
    this.block.release();
    this.writer.release();
  }

  /** Frees the output storage when it exceeds `limit` bytes. */
  releaseOutput(limit: i32): void {
    this.output.shrink(limit);
  }

  private fail(status: i32, offset: i32): i32 {
    const reader = this.reader;
    if (status != BZIP2_CRC_MISMATCH && status != BZIP2_STREAM_CRC_MISMATCH) {
      // Whatever went wrong past the end of the input is truncation.
      if (reader.overrun()) {
        status = BZIP2_TRUNCATED;
        offset = reader.length;
      }
    }
    this.errorOffset = offset;
    return status;
  }

  private decompressStream(): i32 {
    const reader = this.reader;
    const streamOffset = reader.byteOffset();
    const magic = reader.read(24);
    const level = <i32> reader.read(8) - 0x30;
    if (reader.overrun()) {
      return this.fail(this.truncatedMagic(streamOffset), streamOffset);
    }
    if (magic != STREAM_MAGIC || level < 1 || level > 9) {
      return this.fail(BZIP2_BAD_MAGIC, streamOffset);
    }
    const maxBlockLength = level * 100000;

    let combinedCrc: u32 = 0;
    while (true) {
      const blockOffset = reader.byteOffset();
      const high = reader.read(24);
      const low = reader.read(24);
      const storedCrc = reader.read(32);
      if (high == END_MAGIC_HIGH && low == END_MAGIC_LOW) {
        if (reader.overrun()) return this.fail(BZIP2_TRUNCATED, blockOffset);
        if (storedCrc != combinedCrc) {
          this.expectedCrc = storedCrc;
          this.computedCrc = combinedCrc;
          return this.fail(BZIP2_STREAM_CRC_MISMATCH, blockOffset);
        }
        reader.alignToByte();
        return BZIP2_OK;
      }
      if (high != BLOCK_MAGIC_HIGH || low != BLOCK_MAGIC_LOW) {
        return this.fail(BZIP2_BAD_BLOCK_HEADER, blockOffset);
      }

      const status = this.decompressBlock(maxBlockLength, storedCrc);
      if (status != BZIP2_OK) return this.fail(status, blockOffset);
      this.verifiedLength = this.output.length;
      this.projectOutput();
      combinedCrc = ((combinedCrc << 1) | (combinedCrc >>> 31)) ^ storedCrc;
    }
  }

  /**
   * Sets the output's expected length from the ratio of output to input so
   * far, plus an eighth, so a large stream (a whole-file bzip2 volume of
   * many blocks) grows its output once or twice instead of doubling from
   * the first guess.
   */
  private projectOutput(): void {
    const reader = this.reader;
    const consumed = reader.byteOffset();
    if (consumed <= 0) return;
    const projected = <f64> this.output.length * <f64> reader.length /
      <f64> consumed * 1.125;
    this.output.expected = <i32> min(projected, <f64> MAX_CEILING);
  }

  /** Decodes one block after its CRC and appends it to the output. */
  private decompressBlock(maxBlockLength: i32, storedCrc: u32): i32 {
    const reader = this.reader;
    const block = this.block;
    const decodeStatus = block.decode(reader, maxBlockLength);
    if (decodeStatus != BZIP2_OK) return decodeStatus;
    if (reader.overrun()) return BZIP2_TRUNCATED;

    const writer = this.writer;
    writer.build(
      block.bytes,
      block.byteCounts,
      block.length,
      maxBlockLength,
      block.randomised,
    );
    const status = writer.write(block.originPointer, block.length, this.output);
    if (status != BZIP2_OK) return status;

    if (writer.crc != storedCrc) {
      this.expectedCrc = storedCrc;
      this.computedCrc = writer.crc;
      return BZIP2_CRC_MISMATCH;
    }
    return BZIP2_OK;
  }

  /**
   * Classifies a stream header cut short by the end of the input: a prefix
   * of "BZh" is truncation, anything else a bad magic.
   */
  private truncatedMagic(offset: i32): i32 {
    const reader = this.reader;
    const expected = "BZh";
    for (let i = offset; i < reader.length && i - offset < 3; i++) {
      const byte = <i32> load<u8>(reader.input + i);
      if (byte != expected.charCodeAt(i - offset)) return BZIP2_BAD_MAGIC;
    }
    return BZIP2_TRUNCATED;
  }
}
