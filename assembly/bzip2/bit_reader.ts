// Reads the bzip2 bit stream: bits are packed most significant first, and
// fields cross byte boundaries freely.
//
// Past the end of the input the reader yields zero bits instead of failing,
// so the hot loops need no bounds check per bit. Every loop that reads bits
// is bounded by a limit of the format, and callers ask `overrun()` before
// they trust a result or report an error: reading past the end means the
// input is truncated.

export class BitReader {
  /** Address of the first input byte. */
  input: usize = 0;
  /** Number of input bytes. */
  length: i32 = 0;
  /** Offset of the next byte to load into `buffer`; may pass `length`. */
  position: i32 = 0;
  /** Loaded bits not yet consumed, in the low `count` bits. */
  buffer: u64 = 0;
  count: i32 = 0;

  reset(input: usize, length: i32): void {
    this.input = input;
    this.length = length;
    this.position = 0;
    this.buffer = 0;
    this.count = 0;
  }

  /** Loads bits until at least 32 are buffered. */
  @inline
  refill(): void {
    if (this.count < 32) {
      if (this.position + 4 <= this.length) {
        const word = bswap<u32>(load<u32>(this.input + this.position));
        this.buffer = (this.buffer << 32) | <u64> word;
        this.position += 4;
        this.count += 32;
      } else {
        this.refillNearEnd();
      }
    }
  }

  /** Loads the last bytes one at a time, then zero bytes past the end. */
  refillNearEnd(): void {
    while (this.count <= 56) {
      let byte: u64 = 0;
      if (this.position < this.length) {
        byte = <u64> load<u8>(this.input + this.position);
      }
      this.buffer = (this.buffer << 8) | byte;
      this.position++;
      this.count += 8;
    }
  }

  /** Reads `n` bits, 1 to 32, as an unsigned number. */
  @inline
  read(n: i32): u32 {
    this.refill();
    this.count -= n;
    const mask = n == 32 ? <u64> 0xffffffff : (<u64> 1 << <u64> n) - 1;
    return <u32> ((this.buffer >>> <u64> this.count) & mask);
  }

  @inline
  readBit(): bool {
    return this.read(1) != 0;
  }

  /** Number of bits consumed since the start of the input. */
  @inline
  bitOffset(): i64 {
    return (<i64> this.position << 3) - <i64> this.count;
  }

  /** Offset of the byte that contains the next unread bit. */
  @inline
  byteOffset(): i32 {
    return <i32> (this.bitOffset() >> 3);
  }

  /** Returns whether more bits were consumed than the input contains. */
  @inline
  overrun(): bool {
    return this.bitOffset() > (<i64> this.length << 3);
  }

  /** Skips to the next byte boundary, where each stream ends. */
  alignToByte(): void {
    this.count -= this.count & 7;
  }
}
