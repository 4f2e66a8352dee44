// Big-endian reads over a byte range. Callers check `has` before reading,
// so a read never leaves the range and never aborts: Level 3 products come
// from the network and any length field may be wrong.

export class Reader {
  constructor(
    public base: usize,
    public length: i32,
  ) {}

  static of(bytes: Uint8Array): Reader {
    return new Reader(bytes.dataStart, bytes.length);
  }

  /** Returns true when `count` bytes from `offset` lie inside the range. */
  @inline
  has(offset: i32, count: i32): bool {
    return offset >= 0 && count >= 0 && offset <= this.length - count;
  }

  @inline
  u8(offset: i32): u32 {
    return <u32> load<u8>(this.base + <usize> offset);
  }

  @inline
  u16(offset: i32): u32 {
    return <u32> bswap<u16>(load<u16>(this.base + <usize> offset));
  }

  @inline
  i16(offset: i32): i32 {
    return <i32> bswap<i16>(load<i16>(this.base + <usize> offset));
  }

  @inline
  u32(offset: i32): u32 {
    return bswap<u32>(load<u32>(this.base + <usize> offset));
  }

  @inline
  i32(offset: i32): i32 {
    return <i32> bswap<u32>(load<u32>(this.base + <usize> offset));
  }

  @inline
  f32(offset: i32): f32 {
    return reinterpret<f32>(this.u32(offset));
  }
}
