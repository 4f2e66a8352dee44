// Big-endian loads and growable raw buffers for the Level 2 decoder.
//
// The loads do no bounds checks: every caller first checks that the field
// lies inside the message or record it reads, because a load outside the
// input would silently read other memory rather than trap.

/** Reads an unsigned big-endian 16-bit integer. */
export function u16be(pointer: usize): u32 {
  return <u32> bswap<u16>(load<u16>(pointer));
}

/** Reads a signed big-endian 16-bit integer. */
export function i16be(pointer: usize): i32 {
  return <i32> bswap<i16>(load<i16>(pointer));
}

/** Reads an unsigned big-endian 32-bit integer. */
export function u32be(pointer: usize): u32 {
  return bswap<u32>(load<u32>(pointer));
}

/** Reads a signed big-endian 32-bit integer. */
export function i32be(pointer: usize): i32 {
  return bswap<i32>(load<i32>(pointer));
}

/** Reads a big-endian IEEE 754 single. */
export function f32be(pointer: usize): f32 {
  return reinterpret<f32>(bswap<u32>(load<u32>(pointer)));
}

/** True when the 3 bytes at `pointer` are the ASCII letters a, b, c. */
export function hasName3(pointer: usize, a: u32, b: u32, c: u32): bool {
  return <u32> load<u8>(pointer) == a && <u32> load<u8>(pointer, 1) == b &&
    <u32> load<u8>(pointer, 2) == c;
}

/** Rounds `length` up to a multiple of 8. */
export function align8(length: i32): i32 {
  return (length + 7) & ~7;
}

/**
 * A byte buffer on the raw heap that grows by doubling. The collector does
 * not see it, so its owner calls `release()`.
 */
export class GrowableBuffer {
  pointer: usize = 0;
  length: i32 = 0;
  capacity: i32 = 0;

  /** Makes room for `extra` more bytes and returns where they start. */
  reserve(extra: i32): usize {
    const needed = this.length + extra;
    if (needed > this.capacity) {
      let capacity = this.capacity < 4096 ? 4096 : this.capacity;
      while (capacity < needed) capacity <<= 1;
      this.resize(capacity);
    }
    return this.pointer + <usize> this.length;
  }

  /**
   * Grows the capacity to `capacity` bytes at once, when the final size
   * can be estimated, so the buffer does not pass through doublings that
   * leave freed blocks behind in linear memory.
   */
  ensureCapacity(capacity: i32): void {
    if (capacity > this.capacity) this.resize(capacity);
  }

  private resize(capacity: i32): void {
    this.pointer = this.pointer == 0
      ? heap.alloc(<usize> capacity)
      : heap.realloc(this.pointer, <usize> capacity);
    this.capacity = capacity;
  }

  /** Appends `length` bytes copied from `source`. */
  append(source: usize, length: i32): void {
    memory.copy(this.reserve(length), source, <usize> length);
    this.length += length;
  }

  /** Appends `count` zero bytes. */
  appendZeros(count: i32): void {
    memory.fill(this.reserve(count), 0, <usize> count);
    this.length += count;
  }

  clear(): void {
    this.length = 0;
  }

  release(): void {
    if (this.pointer != 0) heap.free(this.pointer);
    this.pointer = 0;
    this.length = 0;
    this.capacity = 0;
  }
}
