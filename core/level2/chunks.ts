/**
 * Real-time Level 2 chunks: one volume arrives as an S chunk (volume
 * header and metadata record), then I chunks and a final E chunk of one
 * LDM record each, named `YYYYMMDD-HHMMSS-NNN-T` (NNN = sequence number,
 * T = S, I or E). {@linkcode ChunkedVolume} decodes each chunk as it comes
 * and combines them into a growing partial volume.
 *
 * @module
 */

import type { DecodeWarning } from "../errors.ts";
import type { Volume } from "../radar/volume.ts";
import { assembleVolume, decodeArchive } from "./decode.ts";
import type { Summary, SweepFragment } from "./layout.ts";

/** Parts of a chunk name. */
export interface ChunkName {
  /** Volume start, `YYYYMMDD-HHMMSS`. */
  volumeId: string;
  /** Position in the volume, 1 for the S chunk. */
  sequence: number;
  /** S (start), I (intermediate) or E (end). */
  type: "S" | "I" | "E";
}

const CHUNK_NAME = /(\d{8}-\d{6})-(\d{1,4})-([SIE])$/;

/** Parses a chunk file name or object key; null when it is not one. */
export function parseChunkName(name: string): ChunkName | null {
  const match = name.match(CHUNK_NAME);
  if (match === null) return null;
  return {
    volumeId: match[1],
    sequence: Number(match[2]),
    type: match[3] as ChunkName["type"],
  };
}

interface DecodedChunk {
  name: ChunkName;
  summary: Summary;
  fragments: SweepFragment[];
  warnings: DecodeWarning[];
}

/** A volume assembled from real-time chunks as they arrive. */
export class ChunkedVolume {
  #chunks = new Map<number, DecodedChunk>();
  #source: string;

  /** @param source Names the volume in errors and warnings. */
  constructor(source = "Level 2 chunks") {
    this.#source = source;
  }

  /**
   * Decodes one chunk and adds it. Chunks may come in any order; a chunk
   * whose sequence number is already present replaces it.
   *
   * @throws {TypeError} The name is not `YYYYMMDD-HHMMSS-NNN-T`.
   * @throws {DecodeError} The chunk is not Level 2 data.
   */
  async add(name: string, bytes: Uint8Array): Promise<void> {
    const parsed = parseChunkName(name);
    if (parsed === null) {
      throw new TypeError(
        `Chunk name '${name}' is invalid: expected YYYYMMDD-HHMMSS-NNN-T with T one of S, I, E`,
      );
    }
    // The next chunk comes soon: keep the decompressor's storage for it.
    const decoded = await decodeArchive(bytes, name, { keepStorage: true });
    this.#chunks.set(parsed.sequence, { name: parsed, ...decoded });
  }

  /** Sequence numbers received so far, ascending. */
  get sequences(): number[] {
    return [...this.#chunks.keys()].sort((a, b) => a - b);
  }

  /**
   * True when the volume has ended and nothing is missing: the E chunk
   * or an end-of-volume radial arrived, and so did every chunk from 1 up
   * to it.
   */
  get complete(): boolean {
    const sequences = this.sequences;
    const last = sequences.at(-1);
    if (last === undefined || sequences.length !== last) return false;
    const chunk = this.#chunks.get(last)!;
    return chunk.name.type === "E" || chunk.summary.lastRadialStatus === 4;
  }

  /**
   * Assembles the volume so far: sweeps in chunk order, each marked complete once
   * its end-of-elevation radial arrived.
   */
  volume(): Volume {
    const chunks = this.sequences.map((s) => this.#chunks.get(s)!);
    const start = chunks.find((c) => c.summary.hasVolumeHeader);
    const header = start?.summary ?? chunks[0]?.summary;
    if (header === undefined) {
      throw new RangeError(
        `Chunked volume '${this.#source}' has no chunks yet: call add() first`,
      );
    }
    const fragments: SweepFragment[] = [];
    const sequenceOf: number[] = [];
    for (const chunk of chunks) {
      for (const fragment of chunk.fragments) {
        fragments.push(fragment);
        sequenceOf.push(chunk.name.sequence);
      }
    }
    const warnings = chunks.flatMap((c) => c.warnings);
    const missing = this.#missingSequences();
    if (missing.length > 0) {
      warnings.push({
        source: this.#source,
        offset: 0,
        message: `Chunks ${
          missing.join(", ")
        } are missing; sweeps across them are kept apart`,
      });
    }
    const volume = assembleVolume(
      header,
      fragments,
      warnings,
      this.#source,
      chunks.map((c) => c.summary),
      (i) => sequenceOf[i] - sequenceOf[i - 1] <= 1,
    );
    volume.complete = this.complete;
    return volume;
  }

  #missingSequences(): number[] {
    const sequences = this.sequences;
    const missing: number[] = [];
    for (let s = 1; s < (sequences.at(-1) ?? 0); s++) {
      if (!this.#chunks.has(s)) missing.push(s);
    }
    return missing;
  }
}
