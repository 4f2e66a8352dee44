// A growable output buffer with a hard ceiling.
//
// The buffer keeps SLACK spare bytes past its capacity, so the inverse
// transform may write one step (at most 256 bytes) before it checks the
// length; the length is then compared with the capacity once per step
// instead of once per byte.
//
// NOTE: growing allocates through the runtime, and when linear memory
// cannot grow any further (about 4 GiB, less in some hosts) the runtime
// traps instead of returning a status. Keep ceilings well below that.

/** Bytes one step of the inverse transform may write: 1 + up to 255. */
export const SLACK = 260;

/**
 * Largest ceiling accepted: AssemblyScript's maximum object size (1 GiB)
 * less the slack and runtime header.
 */
export const MAX_CEILING = (1 << 30) - 4096;

/** Smallest capacity allocated, so tiny inputs do not grow many times. */
const MIN_CAPACITY = 64 * 1024;

/**
 * The storage lives on the raw heap, outside the collector: growing it
 * with `heap.realloc` frees the old block at once (or extends it in place
 * when the memory after it is free), where a collected `ArrayBuffer` would
 * leave every outgrown copy in linear memory until the next collection and
 * be zero-filled on allocation. The decoders that own a buffer live for the
 * whole instance, so the storage is never orphaned.
 */
export class OutputBuffer {
  /**
   * Storage of SLACK bytes for while the capacity is 0, kept for the
   * buffer's life. Allocated after each release, it split the memory just
   * freed.
   */
  private idle: usize = heap.alloc(SLACK);
  /** Storage: capacity + SLACK bytes, uninitialised past `length`. */
  private data: usize = this.idle;
  capacity: i32 = 0;
  length: i32 = 0;
  ceiling: i32 = 0;
  /**
   * Expected final length, when the writer can tell: growth then jumps
   * straight to it instead of doubling (see `grow`).
   */
  expected: i32 = 0;

  /** Empties the buffer and sets the ceiling, keeping storage to reuse. */
  reset(ceiling: i32, expectedLength: i32): void {
    this.length = 0;
    this.expected = 0;
    this.ceiling = min(max(ceiling, 0), MAX_CEILING);
    const initial = min(max(expectedLength, MIN_CAPACITY), this.ceiling);
    if (this.capacity < initial) this.replace(initial);
  }

  @inline
  pointer(): usize {
    return this.data;
  }

  /**
   * Raises `expected` to where a block that began at output byte `start`
   * and has taken `done` of its `steps` steps so far would end at the same
   * rate, plus an eighth. A block of runs can expand some fifty times, so
   * this turns the doublings within such a block into one jump.
   */
  expectBlock(start: i32, done: i32, steps: i32): void {
    if (done <= 0) return;
    const written = <f64> (this.length - start);
    const projected = <f64> start + written / <f64> done * <f64> steps * 1.125;
    this.expected = max(this.expected, <i32> min(projected, <f64> MAX_CEILING));
  }

  /**
   * Grows the capacity to at least `required` bytes: to `expected` when
   * that is enough, else by doubling while below the ceiling. Returns false
   * when `required` exceeds the ceiling.
   *
   * Doubling a 35 MB output from a small guess passes through copies whose
   * sum exceeds the output, and linear memory keeps the high-water mark;
   * one jump to a good estimate makes one copy.
   */
  grow(required: i32): bool {
    if (required > this.ceiling) return false;
    if (required <= this.capacity) return true;
    const expected = min(this.expected, this.ceiling);
    if (expected >= required) {
      this.replace(expected);
      return true;
    }
    let capacity = max(this.capacity, MIN_CAPACITY);
    while (capacity < required) {
      capacity = capacity > this.ceiling >> 1 ? this.ceiling : capacity << 1;
    }
    this.replace(capacity);
    return true;
  }

  /** Frees the storage if it is larger than `limit` bytes. */
  shrink(limit: i32): void {
    if (this.capacity > limit) {
      heap.free(this.data);
      this.data = this.idle;
      this.capacity = 0;
      this.length = 0;
    }
  }

  private replace(capacity: i32): void {
    const size = <usize> capacity + SLACK;
    if (this.data == this.idle) {
      const data = heap.alloc(size);
      memory.copy(data, this.idle, <usize> this.length);
      this.data = data;
    } else if (this.length == 0) {
      // Nothing to keep: skip the copy that realloc would make.
      heap.free(this.data);
      this.data = heap.alloc(size);
    } else {
      this.data = heap.realloc(this.data, size);
    }
    this.capacity = capacity;
  }
}
