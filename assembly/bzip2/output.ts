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

export class OutputBuffer {
  /** Storage: capacity + SLACK bytes, uninitialised past `length`. */
  data: ArrayBuffer = new ArrayBuffer(SLACK);
  capacity: i32 = 0;
  length: i32 = 0;
  ceiling: i32 = 0;

  /** Empties the buffer and sets the ceiling, keeping storage to reuse. */
  reset(ceiling: i32, expectedLength: i32): void {
    this.length = 0;
    this.ceiling = min(max(ceiling, 0), MAX_CEILING);
    const initial = min(max(expectedLength, MIN_CAPACITY), this.ceiling);
    if (this.capacity < initial) this.replace(initial);
  }

  @inline
  pointer(): usize {
    return changetype<usize>(this.data);
  }

  /**
   * Grows the capacity to at least `required` bytes, doubling it while
   * below the ceiling. Returns false when `required` exceeds the ceiling.
   */
  grow(required: i32): bool {
    if (required > this.ceiling) return false;
    if (required <= this.capacity) return true;
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
      this.data = new ArrayBuffer(SLACK);
      this.capacity = 0;
      this.length = 0;
    }
  }

  private replace(capacity: i32): void {
    // __new leaves the bytes uninitialised, unlike `new ArrayBuffer`, which
    // would clear memory that is about to be written anyway.
    const data = changetype<ArrayBuffer>(
      __new(<usize> capacity + SLACK, idof<ArrayBuffer>()),
    );
    memory.copy(changetype<usize>(data), this.pointer(), this.length);
    this.data = data;
    this.capacity = capacity;
  }
}
