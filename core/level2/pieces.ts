/**
 * Decoding one Archive II volume in pieces, so that several threads can
 * share it. Each LDM record is a bzip2 stream of its own, so a file cut
 * between records gives pieces that decode independently: the first as a
 * volume (header and metadata record), the others as real-time chunks do.
 * Joined in file order, the pieces give the same volume as
 * {@linkcode decodeVolume} on the whole file.
 *
 * @module
 */

import type { MomentCode } from "../radar/moment.ts";
import type { Volume } from "../radar/volume.ts";
import {
  assembleVolume,
  decodeArchive,
  type DecodedArchive,
} from "./decode.ts";
import type { Summary, SweepFragment } from "./layout.ts";
import { closesElevation, opensElevation } from "./sweeps.ts";
import { hasVolumeHeader, VOLUME_HEADER_BYTES } from "./wrappers.ts";

/** A run of whole LDM records of a file, or the start of the file up to them. */
export interface VolumePiece {
  bytes: Uint8Array;
  /** Offset of the piece in the file. */
  offset: number;
}

/** A piece smaller than this is not worth a thread of its own. */
const MIN_PIECE_BYTES = 256 << 10;

/**
 * Cuts an Archive II file of bzip2 LDM records at record boundaries into
 * at most `count` pieces of about equal size. Returns null when the file
 * is of another kind (gzip, whole-file bzip2, uncompressed messages) or
 * too small to be worth cutting. Cutting stops at a damaged record, so the
 * rest of the file stays in the last piece.
 */
export function cutAtRecords(
  bytes: Uint8Array,
  count: number,
): VolumePiece[] | null {
  if (count < 2 || !hasVolumeHeader(bytes)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boundaries: number[] = [];
  for (let at = VOLUME_HEADER_BYTES; at + 8 <= bytes.length;) {
    const length = Math.abs(view.getInt32(at));
    if (!isBzip2Stream(bytes, at + 4) || at + 4 + length > bytes.length) break;
    boundaries.push(at);
    at += 4 + length;
  }
  if (boundaries.length === 0) return null;
  const pieces = Math.min(
    count,
    Math.floor(bytes.length / MIN_PIECE_BYTES),
    boundaries.length,
  );
  if (pieces < 2) return null;

  // The first boundary after each multiple of size / pieces.
  const cuts = [0];
  for (let piece = 1; piece < pieces; piece++) {
    const target = (bytes.length * piece) / pieces;
    const cut = boundaries.find((boundary) => boundary >= target);
    if (cut !== undefined && cut > cuts.at(-1)!) cuts.push(cut);
  }
  if (cuts.length < 2) return null;
  return cuts.map((start, i) => {
    const end = cuts[i + 1] ?? bytes.length;
    return { bytes: bytes.subarray(start, end), offset: start };
  });
}

/** True when a bzip2 stream header ("BZh" and a block size digit) is at `at`. */
function isBzip2Stream(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x42 && bytes[at + 1] === 0x5a &&
    bytes[at + 2] === 0x68 && bytes[at + 3] >= 0x31 && bytes[at + 3] <= 0x39;
}

/**
 * Decodes one piece made by {@linkcode cutAtRecords}, with warning offsets
 * counted from the start of the file. `moments`, when given, are the only
 * ones whose codes are kept.
 *
 * @throws {DecodeError} The piece is not Level 2 data that can be read.
 */
export function decodePiece(
  piece: VolumePiece,
  source: string,
  moments?: readonly MomentCode[],
): Promise<DecodedArchive> {
  return decodeArchive(piece.bytes, source, { offset: piece.offset, moments });
}

/**
 * Joins decoded pieces, in file order, into the volume: sweeps cut
 * between two pieces become one again. Returns null when the pieces might
 * not give exactly the volume of a whole-file decode, so that the caller
 * decodes the whole file instead. That is the case when a piece warned
 * (damaged data) or a later piece carries volume metadata (a header or a
 * coverage pattern). It is also the case when the first radials lack the
 * radar location that later ones carry, or when a sweep cut between pieces
 * is not plainly one sweep.
 */
export function assemblePieces(
  pieces: DecodedArchive[],
  source: string,
): Volume | null {
  if (pieces.length === 0) {
    throw new RangeError(`Cannot assemble '${source}' from no pieces`);
  }
  if (!joinExactly(pieces)) return null;
  return assembleVolume(
    pieces[0].summary,
    pieces.flatMap((piece) => piece.fragments),
    pieces.flatMap((piece) => piece.warnings),
    source,
    pieces.map((piece) => piece.summary),
  );
}

/**
 * True when joining `pieces` repeats what the decoder does in one pass:
 * its state carries over from record to record, while each piece starts
 * afresh.
 */
function joinExactly(pieces: DecodedArchive[]): boolean {
  if (pieces.some((piece) => piece.warnings.length > 0)) return false;
  const later = pieces.slice(1).map((piece) => piece.summary);
  if (
    later.some((summary) =>
      summary.hasVolumeHeader || summary.vcpNumber !== null ||
      summary.cuts.length > 0
    )
  ) {
    return false;
  }
  // A whole decode keeps the first location it meets.
  const located = (summary: Summary) => !Number.isNaN(summary.latitudeDeg);
  const firstRadials = pieces.find((piece) => piece.summary.messageType !== 0);
  if (
    firstRadials !== undefined && !located(firstRadials.summary) &&
    pieces.some((piece) => located(piece.summary))
  ) {
    return false;
  }
  const fragments = pieces.map((piece) => piece.fragments);
  for (let k = 1; k < fragments.length; k++) {
    const previous = fragments.slice(0, k).flat().at(-1);
    const next = fragments[k][0];
    if (previous === undefined || next === undefined) continue;
    if (!continuesAcrossCut(previous, next)) return false;
  }
  return true;
}

/**
 * False when the decoder, reading on without the cut, would have kept
 * `next` in the sweep of `previous` but joining the pieces would not, or
 * would join moments whose word sizes differ.
 */
function continuesAcrossCut(
  previous: SweepFragment,
  next: SweepFragment,
): boolean {
  const oneSweep = previous.elevationNumber === next.elevationNumber &&
    previous.messageType === next.messageType &&
    !opensElevation(next.radialStatus[0]);
  if (!oneSweep) return true;
  const lastStatus = previous.radialStatus[previous.radialStatus.length - 1];
  if (closesElevation(lastStatus)) return false;
  return Object.entries(next.moments).every(([code, moment]) => {
    const before = previous.moments[code as MomentCode];
    return before === undefined || before.wordSizeBits === moment.wordSizeBits;
  });
}
