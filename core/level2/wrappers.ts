/**
 * Outer wrappers of Level 2 files that the TypeScript side removes before
 * the WebAssembly decoder runs: gzip, recognised by its magic bytes.
 * Whole-file bzip2 and LDM records are decompressed inside the module.
 *
 * @module
 */

/** True when `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Result of inflating a gzip stream that may be cut short. */
export interface Inflated {
  /** The inflated bytes, in the pieces the stream produced them. */
  parts: Uint8Array[];
  /** Total length of the parts. */
  length: number;
  /** Reason inflation stopped early (truncated or corrupt input), or null. */
  error: string | null;
}

/**
 * Inflates gzip `bytes`, keeping whatever came out before an error, so a
 * truncated download still yields its complete sweeps. The pieces are not
 * joined: a volume inflates to tens of MB, and the decoder copies the
 * pieces straight into WebAssembly memory.
 */
export async function gunzip(bytes: Uint8Array): Promise<Inflated> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("gzip"));
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  let error: string | null = null;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      length += value.length;
    }
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  return { parts, length, error };
}

/** Joins `parts` into one array; a single part is returned as it is. */
export function joinParts(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
