// Length-limited canonical Huffman codes for a deflate encoder (RFC 1951,
// section 3.2.2).
//
// Lengths come from a Huffman tree built over the symbols in order of
// frequency (two queues: leaves, then merged nodes, both already sorted).
// When the tree is deeper than the limit, the length counts are reshaped
// as in JPEG's Annex K.3. Two leaves at the deepest level leave it, so
// their parent becomes a leaf. A leaf higher up becomes the parent of one
// of them and a new sibling. Each step keeps the Kraft sum at 1, so the
// code stays complete. The lengths then go back to the symbols, the
// longest to the rarest.
//
// Every code built here is complete: an alphabet with one used symbol gets
// a second, unused one, so both take one bit (zlib's inflate accepts only
// complete code-length codes).

/** Largest alphabet: the 286 literal/length codes. */
export const MAX_SYMBOLS = 286;

/** Deepest tree before limiting: one level per symbol. */
const MAX_DEPTH = MAX_SYMBOLS;

/** A code over up to MAX_SYMBOLS symbols. */
export class HuffmanCode {
  /** Bit length per symbol; 0 for an unused symbol. */
  lengths: StaticArray<u8> = new StaticArray<u8>(MAX_SYMBOLS);
  /** Code per symbol, bit-reversed: deflate sends Huffman codes from the top bit. */
  codes: StaticArray<u16> = new StaticArray<u16>(MAX_SYMBOLS);

  // Scratch space of build().
  private order: StaticArray<i32> = new StaticArray<i32>(MAX_SYMBOLS);
  private weights: StaticArray<u32> = new StaticArray<u32>(2 * MAX_SYMBOLS);
  private parents: StaticArray<i32> = new StaticArray<i32>(2 * MAX_SYMBOLS);
  private depths: StaticArray<i32> = new StaticArray<i32>(2 * MAX_SYMBOLS);
  private lengthCounts: StaticArray<i32> = new StaticArray<i32>(MAX_DEPTH + 1);
  private nextCode: StaticArray<i32> = new StaticArray<i32>(16);

  /**
   * Builds the code of `count` symbols with the given frequencies, no
   * length above `limit` (at most 15, and 2^limit >= count).
   */
  build(frequencies: StaticArray<u32>, count: i32, limit: i32): void {
    const order = this.order;
    const lengths = this.lengths;
    let used = 0;
    for (let symbol = 0; symbol < count; symbol++) {
      unchecked(lengths[symbol] = 0);
      if (unchecked(frequencies[symbol]) != 0) {
        unchecked(order[used++] = symbol);
      }
    }
    if (used < 2) {
      // One symbol (or none): pair it with the first other symbol.
      const first = used == 1 ? unchecked(order[0]) : 0;
      unchecked(lengths[first] = 1);
      unchecked(lengths[first == 0 ? 1 : 0] = 1);
      this.assignCodes(count);
      return;
    }
    this.sortByFrequency(frequencies, used);
    const deepest = this.treeDepths(frequencies, used);

    // Leaves per depth, reshaped until none is deeper than the limit.
    const lengthCounts = this.lengthCounts;
    for (let depth = 0; depth <= deepest; depth++) {
      unchecked(lengthCounts[depth] = 0);
    }
    for (let leaf = 0; leaf < used; leaf++) {
      const depth = unchecked(this.depths[leaf]);
      unchecked(lengthCounts[depth] = lengthCounts[depth] + 1);
    }
    for (let depth = deepest; depth > limit; depth--) {
      while (unchecked(lengthCounts[depth]) > 0) {
        let higher = depth - 2;
        while (unchecked(lengthCounts[higher]) == 0) higher--;
        unchecked(lengthCounts[depth] = lengthCounts[depth] - 2);
        unchecked(lengthCounts[depth - 1] = lengthCounts[depth - 1] + 1);
        unchecked(lengthCounts[higher + 1] = lengthCounts[higher + 1] + 2);
        unchecked(lengthCounts[higher] = lengthCounts[higher] - 1);
      }
    }

    // `order` runs from the rarest symbol: it takes the longest code.
    let leaf = 0;
    for (let length = min(deepest, limit); length >= 1; length--) {
      for (let n = unchecked(lengthCounts[length]); n > 0; n--) {
        unchecked(lengths[order[leaf++]] = <u8> length);
      }
    }
    this.assignCodes(count);
  }

  /** Sorts `order[0..used)` by frequency, then symbol (insertion sort). */
  private sortByFrequency(frequencies: StaticArray<u32>, used: i32): void {
    const order = this.order;
    for (let i = 1; i < used; i++) {
      const symbol = unchecked(order[i]);
      const weight = unchecked(frequencies[symbol]);
      let j = i - 1;
      while (j >= 0 && unchecked(frequencies[order[j]]) > weight) {
        unchecked(order[j + 1] = order[j]);
        j--;
      }
      unchecked(order[j + 1] = symbol);
    }
  }

  /**
   * Builds the Huffman tree over the sorted leaves and stores each leaf's
   * depth in `depths[0..used)`. Returns the deepest leaf's depth.
   */
  private treeDepths(frequencies: StaticArray<u32>, used: i32): i32 {
    const weights = this.weights;
    const parents = this.parents;
    const depths = this.depths;
    for (let leaf = 0; leaf < used; leaf++) {
      unchecked(weights[leaf] = frequencies[this.order[leaf]]);
    }

    // Nodes used..2*used-2 are merged in order of weight, so the two
    // lightest nodes are always at the front of one of the two queues.
    let nextLeaf = 0;
    let nextNode = used;
    const root = 2 * used - 2;
    for (let node = used; node <= root; node++) {
      let weight: u32 = 0;
      for (let k = 0; k < 2; k++) {
        let child: i32;
        if (
          nextLeaf < used &&
          (nextNode >= node ||
            unchecked(weights[nextLeaf]) <= unchecked(weights[nextNode]))
        ) {
          child = nextLeaf++;
        } else {
          child = nextNode++;
        }
        weight += unchecked(weights[child]);
        unchecked(parents[child] = node);
      }
      unchecked(weights[node] = weight);
    }

    // A parent always comes after its children.
    unchecked(depths[root] = 0);
    let deepest = 0;
    for (let node = root - 1; node >= 0; node--) {
      const depth = unchecked(depths[parents[node]]) + 1;
      unchecked(depths[node] = depth);
      if (depth > deepest) deepest = depth;
    }
    return deepest;
  }

  /** Numbers the codes canonically: by length, then by symbol. */
  private assignCodes(count: i32): void {
    const lengths = this.lengths;
    const nextCode = this.nextCode;
    for (let length = 0; length < 16; length++) unchecked(nextCode[length] = 0);
    for (let symbol = 0; symbol < count; symbol++) {
      const length = unchecked(lengths[symbol]);
      unchecked(nextCode[length] = nextCode[length] + 1);
    }
    let code = 0;
    unchecked(nextCode[0] = 0);
    let previous = 0;
    for (let length = 1; length < 16; length++) {
      code = (code + previous) << 1;
      previous = unchecked(nextCode[length]);
      unchecked(nextCode[length] = code);
    }
    for (let symbol = 0; symbol < count; symbol++) {
      const length = <i32> unchecked(lengths[symbol]);
      if (length == 0) continue;
      const value = unchecked(nextCode[length]);
      unchecked(nextCode[length] = value + 1);
      unchecked(this.codes[symbol] = <u16> reverseBits(value, length));
    }
  }
}

/** Reverses the low `length` bits of `value`. */
function reverseBits(value: i32, length: i32): i32 {
  let reversed = 0;
  for (let bit = 0; bit < length; bit++) {
    reversed = (reversed << 1) | ((value >> bit) & 1);
  }
  return reversed;
}
