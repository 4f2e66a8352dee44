/**
 * Errors and warnings that decoders and stores report to their callers.
 *
 * `core/` never logs. Decoders return {@linkcode DecodeWarning}s beside
 * their result and throw {@linkcode DecodeError} only when nothing usable
 * can be read; `jobs/` and `api/` log the warnings and map the errors.
 *
 * @module
 */

/** Where in an input a decoder found a problem. */
export interface DecodeSite {
  /** File name or object key of the input. */
  source: string;
  /** Byte offset into the input (or into a decompressed record, see message). */
  offset: number;
  /** ICD message type or Level 3 packet code being read, when known. */
  messageType?: number;
}

/** A recoverable problem: the decoder skipped something and went on. */
export interface DecodeWarning extends DecodeSite {
  /** What was skipped and why, in one sentence. */
  message: string;
}

/** Bytes that cannot be decoded: truncated, corrupt, or not NEXRAD at all. */
export class DecodeError extends Error {
  /** File name or object key of the input. */
  readonly source: string;
  /** Byte offset of the problem. */
  readonly offset: number;
  /** ICD message type or packet code, when known. */
  readonly messageType?: number;

  constructor(message: string, site: DecodeSite, options?: ErrorOptions) {
    const type = site.messageType === undefined
      ? ""
      : ` (message type ${site.messageType})`;
    super(`${site.source} at byte ${site.offset}${type}: ${message}`, options);
    this.name = "DecodeError";
    this.source = site.source;
    this.offset = site.offset;
    this.messageType = site.messageType;
  }
}

/** A stored object or upstream key that does not exist. */
export class NotFoundError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NotFoundError";
  }
}

/**
 * Returns whether `error` is a stop requested through an AbortSignal (a
 * shutdown), which callers pass on instead of counting it as a failure.
 */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}
