/**
 * Single byte ranges (RFC 9110 section 14) for PNG downloads. Requests for
 * several ranges get the whole object, which the RFC allows.
 *
 * @module
 */

/** A satisfiable range: first and last byte, both inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Resolves a `Range` header against an object of `size` bytes: null to
 * send the whole object (no header, another unit, several ranges or bad
 * syntax), "unsatisfiable" for 416, or the range to send with 206.
 */
export function resolveRange(
  header: string | undefined,
  size: number,
): ByteRange | "unsatisfiable" | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (match === null) return null;

  const [, first, last] = match;
  if (first === "" && last === "") return null;

  if (first === "") {
    // Suffix range: the final `last` bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - length), end: size - 1 };
  }

  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== "" && Number(last) < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end };
}
