/**
 * Outer wrappers of Level 2 files that the TypeScript side removes before
 * the WebAssembly decoder runs: gzip, recognised by its magic bytes.
 * Whole-file bzip2 and LDM records are decompressed inside the module.
 *
 * @module
 */

/** Bytes of the Archive II volume header. */
export const VOLUME_HEADER_BYTES = 24;

/**
 * True when `bytes` start with a whole Archive II volume header, whose
 * tape name is "AR2V00vv" or, before 2006, "ARCHIVE2".
 */
export function hasVolumeHeader(bytes: Uint8Array): boolean {
  if (bytes.length < VOLUME_HEADER_BYTES) return false;
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  return magic.startsWith("AR2V") || magic === "ARCHIVE2";
}

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
 *
 * Output stops at `maxLength` bytes, the decoder's input ceiling by
 * default: a gzip bomb of a few KB would otherwise fill gigabytes. A
 * stream that inflates past the limit yields no bytes.
 *
 * A sound stream is inflated in one synchronous pass by zlib, which makes
 * no copy of the input and took about a fifth less time than a
 * `DecompressionStream` on the corpus. When that pass fails, the stream is
 * inflated again piece by piece, which keeps the pieces before the damage.
 * `node:zlib` loads on the first gzip file: importing it costs every
 * process and worker about 15 ms, and most volumes are not gzip.
 */
export async function gunzip(
  bytes: Uint8Array,
  maxLength: number = MAX_CHUNK_BYTES,
): Promise<Inflated> {
  const { gunzipSync } = await import("node:zlib");
  try {
    const inflated = gunzipSync(bytes, {
      chunkSize: Math.min(outputHint(bytes), maxLength + 1),
      maxOutputLength: maxLength,
    });
    const whole = new Uint8Array(
      inflated.buffer,
      inflated.byteOffset,
      inflated.byteLength,
    );
    return { parts: [whole], length: whole.length, error: null };
  } catch (error) {
    // Over the limit: inflating it again in pieces would only double the
    // memory spent on what is no Level 2 file.
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      return { parts: [], length: 0, error: tooLong(maxLength) };
    }
    return await gunzipPieces(bytes, maxLength);
  }
}

/** zlib's own output piece size (`zlib.constants.Z_DEFAULT_CHUNK`). */
const DEFAULT_CHUNK_BYTES = 64 * 1024;
/**
 * Deflate's largest ratio of output to input, an estimate: a 258-byte
 * match (RFC 1951 section 3.2.5) coded in 2 bits.
 */
const MAX_DEFLATE_RATIO = 1032;
/** Largest output accepted, the WebAssembly decoder's own input ceiling. */
const MAX_CHUNK_BYTES = 512 << 20;
/**
 * Largest piece requested. Every corpus volume inflates to less (at most
 * 51 MB), and a larger one is inflated in pieces of this size and joined.
 */
const MAX_PIECE_BYTES = 64 << 20;

/**
 * Output piece size for zlib: the inflated length that the gzip trailer
 * states (ISIZE, RFC 1952 section 2.3.1), plus one byte so zlib sees the
 * end of the stream without asking for another piece. With one piece zlib
 * inflates straight into the result. Its default 64 KiB pieces, joined at
 * the end, doubled the memory and took a third more time on the corpus.
 * The trailer is trusted no further than deflate's largest ratio and
 * MAX_PIECE_BYTES. A wrong one costs only the join it was meant to save.
 * A gzip bomb's claimed size is not allocated at once. A 4.7 MB bomb of
 * 1 GiB of zeros peaked at 1.07 GB of memory with 512 MiB pieces before the
 * ceiling stopped it, and at 0.63 GB with 64 MiB pieces.
 */
function outputHint(bytes: Uint8Array): number {
  if (bytes.length < 18) return DEFAULT_CHUNK_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stated = view.getUint32(bytes.length - 4, true) + 1;
  const largest = bytes.length * MAX_DEFLATE_RATIO;
  return Math.max(
    DEFAULT_CHUNK_BYTES,
    Math.min(stated, largest, MAX_PIECE_BYTES),
  );
}

/**
 * Inflates `bytes` as a stream, keeping the pieces before an error and
 * stopping at `maxLength` bytes.
 */
async function gunzipPieces(
  bytes: Uint8Array,
  maxLength: number,
): Promise<Inflated> {
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
      if (length + value.length > maxLength) {
        parts.push(value.subarray(0, maxLength - length));
        length = maxLength;
        error = tooLong(maxLength);
        await reader.cancel();
        break;
      }
      parts.push(value);
      length += value.length;
    }
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  return { parts, length, error };
}

/** Returns the reason for output that passed `maxLength` bytes. */
function tooLong(maxLength: number): string {
  return `inflated data exceeds ${maxLength} bytes`;
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
