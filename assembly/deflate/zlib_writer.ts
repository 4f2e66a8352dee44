// A zlib stream (RFC 1950) of deflate blocks (RFC 1951) that encode runs
// only: a byte repeated from the byte before becomes a match at distance 1,
// anything else a literal. This is zlib's Z_RLE strategy. On palette images
// of radar sweeps (long runs of empty sky and of equal colours) it
// compresses almost as well as a full match search, in a fraction of the
// time, and it is what the PNG writer needs (core/render/png.ts).
//
// Each block holds up to BLOCK_SYMBOLS literals and matches under its own
// Huffman codes. A block that would come out larger than its bytes stored
// as they are is stored instead, so the output never exceeds the input by
// more than a few bytes per block (see outputBound).

import { HuffmanCode } from "./huffman_code";

/** Literals and matches per block, as zlib uses at its default memory level. */
const BLOCK_SYMBOLS = 16384;
/** Longest match deflate can express. */
const MAX_MATCH = 258;
const MIN_MATCH = 3;
/** Largest stored block. */
const MAX_STORED = 65535;

const END_OF_BLOCK = 256;
/** Literal/length symbols: 256 literals, end of block, 29 length codes. */
const LITERAL_LENGTH_SYMBOLS = 286;
const FIRST_LENGTH_SYMBOL = 257;
const CODE_LENGTH_SYMBOLS = 19;

/** Order in which a dynamic block's header lists the code-length code. */
const CODE_LENGTH_ORDER: StaticArray<u8> = [
  16,
  17,
  18,
  0,
  8,
  7,
  9,
  6,
  10,
  5,
  11,
  4,
  12,
  3,
  13,
  2,
  14,
  1,
  15,
];
/** First match length of each of the 29 length codes. */
const LENGTH_BASE: StaticArray<u16> = [
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  13,
  15,
  17,
  19,
  23,
  27,
  31,
  35,
  43,
  51,
  59,
  67,
  83,
  99,
  115,
  131,
  163,
  195,
  227,
  258,
];
const LENGTH_EXTRA_BITS: StaticArray<u8> = [
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  1,
  1,
  1,
  2,
  2,
  2,
  2,
  3,
  3,
  3,
  3,
  4,
  4,
  4,
  4,
  5,
  5,
  5,
  5,
  0,
];

/** Length code (0..28) of each match length 0..258. */
const LENGTH_CODE = lengthCodes();

function lengthCodes(): StaticArray<u8> {
  const codes = new StaticArray<u8>(MAX_MATCH + 1);
  for (let code = 0; code < 28; code++) {
    const first = <i32> LENGTH_BASE[code];
    const last = first + (1 << LENGTH_EXTRA_BITS[code]);
    for (let length = first; length < last; length++) codes[length] = <u8> code;
  }
  // 258 has a code of its own (285), not the last value of code 284.
  codes[MAX_MATCH] = 28;
  return codes;
}

/** Bytes the output of `inputLength` bytes can take, slack included. */
export function outputBound(inputLength: i32): i32 {
  // Stored form: 5 bytes per 64 KiB piece and per block (a block covers
  // at least BLOCK_SYMBOLS input bytes unless it is the last), plus the
  // zlib header and checksum and room for the last 4-byte stores.
  return inputLength + (inputLength >> 10) + 64;
}

/** Symbols of the block scan: 256 literals, then runs of 0..258 bytes. */
const SCAN_SYMBOLS = 256 + MAX_MATCH + 1;

export class ZlibWriter {
  private output: usize = 0;
  private capacity: i32 = 0;
  private position: i32 = 0;
  private bitBuffer: u64 = 0;
  private bitCount: u32 = 0;
  /** Adler-32 sums of the input so far, reduced once per block. */
  private adlerA: u64 = 1;
  private adlerB: u64 = 0;

  /** Literals as themselves, runs as 256 + their length. */
  private symbols: StaticArray<u16> = new StaticArray<u16>(BLOCK_SYMBOLS);
  private symbolCount: i32 = 0;
  /** Occurrences of each scan symbol in the block. */
  private symbolCounts: StaticArray<u32> = new StaticArray<u32>(SCAN_SYMBOLS);
  /**
   * Per scan symbol, its whole bit string in the block: code, extra bits
   * and (for a run) the distance code, value | bit count << 24.
   */
  private symbolBits: StaticArray<u32> = new StaticArray<u32>(SCAN_SYMBOLS);
  private literalFrequencies: StaticArray<u32> = new StaticArray<u32>(
    LITERAL_LENGTH_SYMBOLS,
  );
  private codeLengthFrequencies: StaticArray<u32> = new StaticArray<u32>(
    CODE_LENGTH_SYMBOLS,
  );
  private literalCode: HuffmanCode = new HuffmanCode();
  private codeLengthCode: HuffmanCode = new HuffmanCode();
  /** Run-length coded code lengths: symbol | extra value << 8. */
  private header: StaticArray<u16> = new StaticArray<u16>(
    LITERAL_LENGTH_SYMBOLS + 2,
  );
  private headerLength: i32 = 0;

  /**
   * Compresses `length` bytes at `input`. The stream stays in the
   * writer's storage until the next call or release(): see pointer() and
   * length().
   */
  compress(input: usize, length: i32): void {
    const bound = outputBound(length);
    if (this.capacity < bound) {
      if (this.output != 0) heap.free(this.output);
      this.output = heap.alloc(<usize> bound);
      this.capacity = bound;
    }
    this.bitBuffer = 0;
    this.bitCount = 0;
    this.adlerA = 1;
    this.adlerB = 0;
    // CMF: deflate with a 32 KiB window. FLG: fastest compression level,
    // and check bits that make CMF * 256 + FLG a multiple of 31.
    store<u8>(this.output, 0x78);
    store<u8>(this.output + 1, 0x01);
    this.position = 2;

    let start = 0;
    do {
      start = this.writeBlock(input, start, length);
    } while (start < length);
    this.alignToByte();
    const checksum = <u32> (this.adlerB << 16 | this.adlerA);
    store<u32>(this.output + this.position, bswap<u32>(checksum));
    this.position += 4;
  }

  pointer(): usize {
    return this.output;
  }

  /** Frees the output storage, which the next call allocates again. */
  release(): void {
    if (this.output != 0) heap.free(this.output);
    this.output = 0;
    this.capacity = 0;
  }

  length(): i32 {
    return this.position;
  }

  /**
   * Finds the literals and runs of one block from `start` and writes it,
   * dynamic or stored, whichever is smaller. Returns where the next block
   * starts.
   */
  private writeBlock(input: usize, start: i32, length: i32): i32 {
    const end = this.scan(input, start, length);
    const last = end >= length;
    const counts = this.symbolCounts;

    const frequencies = this.literalFrequencies;
    for (let symbol = 0; symbol < 256; symbol++) {
      unchecked(frequencies[symbol] = counts[symbol]);
    }
    for (let symbol = 256; symbol < LITERAL_LENGTH_SYMBOLS; symbol++) {
      unchecked(frequencies[symbol] = 0);
    }
    unchecked(frequencies[END_OF_BLOCK] = 1);
    let runs: u64 = 0;
    for (let run = MIN_MATCH; run <= MAX_MATCH; run++) {
      const n = unchecked(counts[256 + run]);
      const symbol = FIRST_LENGTH_SYMBOL + <i32> unchecked(LENGTH_CODE[run]);
      unchecked(frequencies[symbol] = frequencies[symbol] + n);
      runs += n;
    }

    const literalCode = this.literalCode;
    literalCode.build(frequencies, LITERAL_LENGTH_SYMBOLS, 15);
    const literalSymbols = this.usedSymbols(
      literalCode.lengths,
      LITERAL_LENGTH_SYMBOLS,
      FIRST_LENGTH_SYMBOL,
    );
    this.codeHeader(literalCode.lengths, literalSymbols);
    this.codeLengthCode.build(
      this.codeLengthFrequencies,
      CODE_LENGTH_SYMBOLS,
      7,
    );
    const codeLengthSymbols = this.usedCodeLengthSymbols();
    this.prepareSymbolBits();

    let dynamicBits: u64 = 3 + 5 + 5 + 4 + 3 * <u64> codeLengthSymbols +
      this.headerBits() +
      <u64> unchecked(literalCode.lengths[END_OF_BLOCK]);
    const bits = this.symbolBits;
    for (let symbol = 0; symbol < SCAN_SYMBOLS; symbol++) {
      dynamicBits += <u64> unchecked(counts[symbol]) *
        <u64> (unchecked(bits[symbol]) >>> 24);
    }
    const bytes = end - start;
    const pieces = max(1, (bytes + MAX_STORED - 1) / MAX_STORED);
    const storedBits = <u64> pieces * (3 + 7 + 32) + 8 * <u64> bytes;

    if (storedBits < dynamicBits) {
      this.writeStored(input + start, bytes, last);
    } else {
      this.writeDynamic(literalSymbols, codeLengthSymbols, last);
    }
    return end;
  }

  /**
   * Splits the input from `start` into literals and runs (a byte repeated
   * from the byte before, at least MIN_MATCH times) until the block is
   * full, counting them and adding the bytes to the Adler-32 sums. Returns
   * where the block ends.
   */
  private scan(input: usize, start: i32, length: i32): i32 {
    const symbols = this.symbols;
    const counts = this.symbolCounts;
    for (let symbol = 0; symbol < SCAN_SYMBOLS; symbol++) {
      unchecked(counts[symbol] = 0);
    }

    let a = this.adlerA;
    let b = this.adlerB;
    let count = 0;
    let at = start;
    // The byte before `at`, or -1 at the start of the input.
    let previous: i32 = start > 0 ? <i32> load<u8>(input + start - 1) : -1;
    while (at < length && count < BLOCK_SYMBOLS) {
      const byte = <i32> load<u8>(input + at);
      if (byte == previous) {
        // Count the copies of the byte before, 8 at a time while they last.
        const longest = min(MAX_MATCH, length - at);
        let run = 1;
        const pattern = <u64> byte * 0x0101010101010101;
        while (run + 8 <= longest && load<u64>(input + at + run) == pattern) {
          run += 8;
        }
        while (run < longest && <i32> load<u8>(input + at + run) == byte) run++;
        if (run >= MIN_MATCH) {
          const symbol = 256 + run;
          unchecked(symbols[count++] = <u16> symbol);
          unchecked(counts[symbol] = counts[symbol] + 1);
          // Adler-32 of `run` copies of `byte` at once.
          const n = <u64> run;
          b += n * a + <u64> byte * (n * (n + 1) >> 1);
          a += n * <u64> byte;
          at += run;
          continue;
        }
      }

      unchecked(symbols[count++] = <u16> byte);
      unchecked(counts[byte] = counts[byte] + 1);
      a += <u64> byte;
      b += a;
      previous = byte;
      at++;
    }
    // At most BLOCK_SYMBOLS * MAX_MATCH bytes since the last reduction:
    // a stays under 2^31 and b under 2^53.
    this.adlerA = a % 65521;
    this.adlerB = b % 65521;
    this.symbolCount = count;
    return at;
  }

  /** Fills symbolBits from the block's literal/length code. */
  private prepareSymbolBits(): void {
    const lengths = this.literalCode.lengths;
    const codes = this.literalCode.codes;
    const bits = this.symbolBits;
    for (let literal = 0; literal < 256; literal++) {
      unchecked(
        bits[literal] = <u32> codes[literal] | <u32> lengths[literal] << 24,
      );
    }
    for (let run = 0; run < MIN_MATCH; run++) unchecked(bits[256 + run] = 0);
    for (let run = MIN_MATCH; run <= MAX_MATCH; run++) {
      const code = <i32> unchecked(LENGTH_CODE[run]);
      const symbol = FIRST_LENGTH_SYMBOL + code;
      const codeBits = <u32> unchecked(lengths[symbol]);
      const extraBits = <u32> unchecked(LENGTH_EXTRA_BITS[code]);
      const extra = <u32> (run - <i32> unchecked(LENGTH_BASE[code]));
      // Length code, its extra bits, then distance code 0 ("0", 1 bit).
      unchecked(
        bits[256 + run] = (<u32> codes[symbol] | extra << codeBits) |
          (codeBits + extraBits + 1) << 24,
      );
    }
  }

  /** Returns how many symbols the header lists: up to the last used one, at least `least`. */
  private usedSymbols(
    lengths: StaticArray<u8>,
    count: i32,
    least: i32,
  ): i32 {
    let used = count;
    while (used > least && unchecked(lengths[used - 1]) == 0) used--;
    return used;
  }

  private usedCodeLengthSymbols(): i32 {
    const lengths = this.codeLengthCode.lengths;
    let used = CODE_LENGTH_SYMBOLS;
    while (used > 4 && unchecked(lengths[CODE_LENGTH_ORDER[used - 1]]) == 0) {
      used--;
    }
    return used;
  }

  /**
   * Run-length codes the code lengths of `literalSymbols` literal/length
   * symbols followed by those of two distance codes (1 bit each: distance
   * 1 and an unused one), and counts the code-length symbols.
   */
  private codeHeader(lengths: StaticArray<u8>, literalSymbols: i32): void {
    const frequencies = this.codeLengthFrequencies;
    for (let symbol = 0; symbol < CODE_LENGTH_SYMBOLS; symbol++) {
      unchecked(frequencies[symbol] = 0);
    }
    this.headerLength = 0;
    const total = literalSymbols + 2;
    let at = 0;
    while (at < total) {
      const value = codeLengthAt(lengths, literalSymbols, at);
      let run = 1;
      while (
        at + run < total &&
        codeLengthAt(lengths, literalSymbols, at + run) == value
      ) {
        run++;
      }
      at += run;
      if (value == 0) {
        while (run >= 11) {
          const repeat = min(run, 138);
          this.addHeader(18, repeat - 11);
          run -= repeat;
        }
        if (run >= 3) {
          this.addHeader(17, run - 3);
          run = 0;
        }
      } else {
        this.addHeader(value, 0);
        run--;
        while (run >= 3) {
          const repeat = min(run, 6);
          this.addHeader(16, repeat - 3);
          run -= repeat;
        }
      }
      while (run > 0) {
        this.addHeader(value, 0);
        run--;
      }
    }
  }

  private addHeader(symbol: i32, extra: i32): void {
    unchecked(this.header[this.headerLength++] = <u16> (symbol | (extra << 8)));
    const frequencies = this.codeLengthFrequencies;
    unchecked(frequencies[symbol] = frequencies[symbol] + 1);
  }

  /** Returns the bits of the run-length coded code lengths. */
  private headerBits(): u64 {
    const lengths = this.codeLengthCode.lengths;
    let bits: u64 = 0;
    for (let i = 0; i < this.headerLength; i++) {
      const symbol = <i32> unchecked(this.header[i]) & 0xff;
      bits += <u64> unchecked(lengths[symbol]) + <u64> repeatBits(symbol);
    }
    return bits;
  }

  private writeDynamic(
    literalSymbols: i32,
    codeLengthSymbols: i32,
    last: bool,
  ): void {
    const codeLengthLengths = this.codeLengthCode.lengths;
    const codeLengthCodes = this.codeLengthCode.codes;

    this.writeBits(last ? 1 : 0, 1);
    this.writeBits(2, 2);
    this.writeBits(<u32> (literalSymbols - FIRST_LENGTH_SYMBOL), 5);
    this.writeBits(1, 5); // two distance codes
    this.writeBits(<u32> (codeLengthSymbols - 4), 4);
    for (let i = 0; i < codeLengthSymbols; i++) {
      const symbol = unchecked(CODE_LENGTH_ORDER[i]);
      this.writeBits(<u32> unchecked(codeLengthLengths[symbol]), 3);
    }
    for (let i = 0; i < this.headerLength; i++) {
      const entry = <i32> unchecked(this.header[i]);
      const symbol = entry & 0xff;
      this.writeBits(
        <u32> unchecked(codeLengthCodes[symbol]),
        <u32> unchecked(codeLengthLengths[symbol]),
      );
      const extraBits = repeatBits(symbol);
      if (extraBits > 0) this.writeBits(<u32> (entry >> 8), extraBits);
    }

    // The symbols, with the bit writer's state in locals.
    const symbols = this.symbols;
    const bits = this.symbolBits;
    let buffer = this.bitBuffer;
    let count = this.bitCount;
    let out = this.output + this.position;
    for (let i = 0, n = this.symbolCount; i < n; i++) {
      const entry = unchecked(bits[symbols[i]]);
      buffer |= <u64> (entry & 0xffffff) << count;
      count += entry >>> 24;
      if (count >= 32) {
        store<u32>(out, <u32> buffer);
        out += 4;
        buffer >>= 32;
        count -= 32;
      }
    }
    this.bitBuffer = buffer;
    this.bitCount = count;
    this.position = <i32> (out - this.output);
    const endOfBlock = END_OF_BLOCK;
    this.writeBits(
      <u32> unchecked(this.literalCode.codes[endOfBlock]),
      <u32> unchecked(this.literalCode.lengths[endOfBlock]),
    );
  }

  // NOTE: the cost comparison has never chosen a stored block over 65,535
  // bytes (its runs make the dynamic form shorter), so the split into
  // pieces below is not reached by the tests.
  private writeStored(data: usize, bytes: i32, last: bool): void {
    let at = 0;
    do {
      const piece = min(bytes - at, MAX_STORED);
      const final = last && at + piece == bytes;
      this.writeBits(final ? 1 : 0, 3);
      this.alignToByte();
      const out = this.output + this.position;
      store<u16>(out, <u16> piece);
      store<u16>(out + 2, <u16> ~piece);
      memory.copy(out + 4, data + at, piece);
      this.position += 4 + piece;
      at += piece;
    } while (at < bytes);
  }

  /** Appends the low `count` bits of `value` (count <= 32). */
  private writeBits(value: u32, count: u32): void {
    this.bitBuffer |= <u64> value << this.bitCount;
    this.bitCount += count;
    if (this.bitCount >= 32) {
      store<u32>(this.output + this.position, <u32> this.bitBuffer);
      this.position += 4;
      this.bitBuffer >>= 32;
      this.bitCount -= 32;
    }
  }

  /** Writes out the pending bits, padding the last byte with zeros. */
  private alignToByte(): void {
    while (this.bitCount > 0) {
      store<u8>(this.output + this.position, <u8> this.bitBuffer);
      this.position++;
      this.bitBuffer >>= 8;
      this.bitCount = this.bitCount > 8 ? this.bitCount - 8 : 0;
    }
    this.bitBuffer = 0;
  }
}

/**
 * Returns code length `at` of the header sequence: the literal/length lengths,
 * then 1 and 1 for the two distance codes.
 */
function codeLengthAt(
  lengths: StaticArray<u8>,
  literalSymbols: i32,
  at: i32,
): i32 {
  return at < literalSymbols ? <i32> unchecked(lengths[at]) : 1;
}

/** Returns the extra bits after a code-length symbol: 16, 17 and 18 repeat. */
function repeatBits(symbol: i32): u32 {
  if (symbol == 16) return 2;
  if (symbol == 17) return 3;
  if (symbol == 18) return 7;
  return 0;
}
