// Huffman code tables of a bzip2 block: up to 6 groups of canonical codes
// over up to 258 symbols, lengths 1 to 20 bits. A code's value follows from
// the lengths alone: shorter codes come first, and codes of one length are
// numbered in symbol order.
//
// Decoding peeks LOOKUP_BITS bits and reads symbol and length from one
// table entry; only codes longer than that take the slow path, which
// compares the next bits with the first code of each longer length.

/** Bits indexed by the lookup table of each group. */
export const LOOKUP_BITS = 10;
export const LOOKUP_SIZE = 1 << LOOKUP_BITS;
export const MAX_CODE_LENGTH = 20;
export const MAX_GROUPS = 6;
export const MAX_ALPHABET = 258;

/** Entry of the lookup table: symbol << 5 | code length; 0 means "longer". */
export const ENTRY_LENGTH_MASK = 31;
export const ENTRY_SYMBOL_SHIFT = 5;

const LENGTHS_PER_GROUP = MAX_CODE_LENGTH + 1;

export class HuffmanTables {
  /** Lookup entries, LOOKUP_SIZE per group. */
  lookup: StaticArray<u16> = new StaticArray<u16>(MAX_GROUPS * LOOKUP_SIZE);
  /** Per group and length: the first code of that length. */
  firstCode: StaticArray<i32> = new StaticArray<i32>(
    MAX_GROUPS * LENGTHS_PER_GROUP,
  );
  /** Per group and length: how many codes have that length. */
  codeCount: StaticArray<i32> = new StaticArray<i32>(
    MAX_GROUPS * LENGTHS_PER_GROUP,
  );
  /** Per group and length: where its symbols start in `sortedSymbols`. */
  firstIndex: StaticArray<i32> = new StaticArray<i32>(
    MAX_GROUPS * LENGTHS_PER_GROUP,
  );
  /** Per group: symbols ordered by code length, then by value. */
  sortedSymbols: StaticArray<u16> = new StaticArray<u16>(
    MAX_GROUPS * MAX_ALPHABET,
  );
  /** Per group: the longest code length. */
  maxLength: StaticArray<i32> = new StaticArray<i32>(MAX_GROUPS);

  /**
   * Builds the tables of `group` from `lengths` (one byte per symbol, each
   * 1 to 20). Returns false when the lengths oversubscribe the code space,
   * which no bzip2 encoder writes.
   */
  build(group: i32, lengths: StaticArray<u8>, alphabetSize: i32): bool {
    const base = group * LENGTHS_PER_GROUP;
    for (let length = 0; length <= MAX_CODE_LENGTH; length++) {
      unchecked(this.codeCount[base + length] = 0);
    }
    let longest = 0;
    for (let symbol = 0; symbol < alphabetSize; symbol++) {
      const length = <i32> unchecked(lengths[symbol]);
      unchecked(this.codeCount[base + length]++);
      if (length > longest) longest = length;
    }
    unchecked(this.maxLength[group] = longest);

    // Canonical numbering: each length starts where the previous one ended,
    // shifted left by one bit.
    let code = 0;
    let index = 0;
    for (let length = 1; length <= MAX_CODE_LENGTH; length++) {
      const count = unchecked(this.codeCount[base + length]);
      unchecked(this.firstCode[base + length] = code);
      unchecked(this.firstIndex[base + length] = index);
      code += count;
      if (code > 1 << length) return false;
      index += count;
      code <<= 1;
    }

    // Sort symbols by length (counting sort, stable in symbol order).
    const symbolsBase = group * MAX_ALPHABET;
    for (let symbol = 0; symbol < alphabetSize; symbol++) {
      const length = <i32> unchecked(lengths[symbol]);
      const slot = unchecked(this.firstIndex[base + length]);
      unchecked(this.firstIndex[base + length] = slot + 1);
      unchecked(this.sortedSymbols[symbolsBase + slot] = <u16> symbol);
    }
    for (let length = 1; length <= MAX_CODE_LENGTH; length++) {
      const count = unchecked(this.codeCount[base + length]);
      unchecked(this.firstIndex[base + length] -= count);
    }

    this.fillLookup(group, base, symbolsBase);
    return true;
  }

  /** Fills the lookup entries of `group`; entries of long codes stay 0. */
  private fillLookup(group: i32, base: i32, symbolsBase: i32): void {
    const lookup = changetype<usize>(this.lookup) +
      (<usize> (group * LOOKUP_SIZE) << 1);
    memory.fill(lookup, 0, LOOKUP_SIZE << 1);
    for (let length = 1; length <= LOOKUP_BITS; length++) {
      const count = unchecked(this.codeCount[base + length]);
      const first = unchecked(this.firstCode[base + length]);
      const index = unchecked(this.firstIndex[base + length]);
      const span = 1 << (LOOKUP_BITS - length);
      for (let i = 0; i < count; i++) {
        const symbol = <i32> unchecked(
          this.sortedSymbols[symbolsBase + index + i],
        );
        const entry = <u16> ((symbol << ENTRY_SYMBOL_SHIFT) | length);
        const start = (first + i) * span;
        for (let j = 0; j < span; j++) {
          store<u16>(lookup + (<usize> (start + j) << 1), entry);
        }
      }
    }
  }

  /**
   * Decodes a code longer than LOOKUP_BITS. `bits` contains the next 20 bits
   * of the stream, most significant first. Returns symbol << 5 | length,
   * or -1 when no code of `group` starts with these bits.
   */
  decodeLong(group: i32, bits: u32): i32 {
    const base = group * LENGTHS_PER_GROUP;
    const longest = unchecked(this.maxLength[group]);
    for (let length = LOOKUP_BITS + 1; length <= longest; length++) {
      const code = <i32> (bits >>> <u32> (MAX_CODE_LENGTH - length));
      const offset = code - unchecked(this.firstCode[base + length]);
      if (<u32> offset < <u32> unchecked(this.codeCount[base + length])) {
        const index = unchecked(this.firstIndex[base + length]) + offset;
        const symbol = <i32> unchecked(
          this.sortedSymbols[group * MAX_ALPHABET + index],
        );
        return (symbol << ENTRY_SYMBOL_SHIFT) | length;
      }
    }
    return -1;
  }
}
