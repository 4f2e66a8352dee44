/**
 * Outer wrappers of Level 2 files that the TypeScript side removes before
 * the WebAssembly decoder runs: gzip, told apart by its magic bytes.
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
  bytes: Uint8Array;
  /** Why inflation stopped early (truncated or corrupt input), or null. */
  error: string | null;
}

/**
 * Inflates gzip `bytes`, keeping whatever came out before an error, so a
 * truncated download still yields its complete sweeps.
 */
export async function gunzip(bytes: Uint8Array): Promise<Inflated> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("gzip"));
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  let error: string | null = null;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      total += value.length;
    }
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  if (parts.length === 1) return { bytes: parts[0], error };
  const joined = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return { bytes: joined, error };
}
