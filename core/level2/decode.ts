/**
 * Decodes NEXRAD Level 2 (Archive II) data into a {@linkcode Volume}.
 *
 * Wrappers are recognised by their bytes: gzip is inflated here, while
 * whole-file bzip2, LDM records (bzip2 per record) and uncompressed
 * message streams are read by the WebAssembly decoder
 * (`assembly/level2/`). Unix compress (`.Z`) is rejected.
 *
 * @module
 */

import * as L from "../../assembly/level2/layout.ts";
import { DecodeError, type DecodeWarning } from "../errors.ts";
import type { MomentCode } from "../radar/moment.ts";
import type { RadarLocation, Volume } from "../radar/volume.ts";
import {
  copyIn,
  copyOut,
  type NexradExports,
  refill,
  releaseBuffer,
  WasmAbortError,
  withWasm,
} from "../wasm/loader.ts";
import {
  describeWarnings,
  readSummary,
  readSweepSection,
  type Summary,
  type SweepFragment,
} from "./layout.ts";
import { joinScans, toSweeps } from "./sweeps.ts";
import { gunzip, isGzip, joinParts } from "./wrappers.ts";

/** Options of {@linkcode decodeVolume}. */
export interface DecodeVolumeOptions {
  /** File name or object key, used in errors, warnings and as site fallback. */
  source?: string;
  /**
   * Moments whose codes to keep. The others are left out of the sweeps, and
   * without this option every moment is kept.
   */
  moments?: readonly MomentCode[];
}

/** Result of one pass of the WebAssembly decoder. */
export interface DecodedArchive {
  summary: Summary;
  fragments: SweepFragment[];
  warnings: DecodeWarning[];
}

interface Level2Exports {
  level2Begin(
    input: number,
    last: number,
    codeMask: number,
    keepStorage: number,
  ): number;
  level2Feed(input: number, last: number): void;
  level2WantedOffset(): number;
  /** 1 when a sweep fragment went to level2Sweep, else 0. */
  level2Next(): number;
  level2Summary(): number;
  level2Release(): void;
}

const MS_PER_DAY = 86_400_000;
/** Nested gzip layers accepted before the input is called malformed. */
const MAX_GZIP_LAYERS = 2;

const STATUS_TEXT: Record<number, string> = {
  [L.STATUS_EMPTY]: "input is empty; expected an Archive II volume or chunk",
  [L.STATUS_UNKNOWN_FORMAT]:
    "input is not Archive II: expected 'AR2V', 'ARCHIVE2', a bzip2 stream or an LDM record",
  [L.STATUS_UNIX_COMPRESS]:
    "input is Unix compress (.Z), which is not supported; decompress it with 'uncompress' first",
  [L.STATUS_GZIP]: "input is gzip inside gzip more than twice",
  [L.STATUS_TRUNCATED_HEADER]: "input ends inside the 24-byte volume header",
};

/**
 * Input larger than this is offered to the decoder in windows of this
 * size. Uncompressed messages (old archives, inflated gzip) are then read
 * a window at a time, so linear memory does not hold a second copy of the
 * whole input; compressed inputs are still copied in whole.
 */
const WINDOW_BYTES = 2 << 20;
/** Bytes of the first window, enough for the decoder to tell the format. */
const PROBE_BYTES = 64;

/**
 * Runs the WebAssembly decoder over `parts` (one input in pieces), taking
 * each sweep section out as soon as it is finished, so linear memory contains
 * one sweep at a time rather than the whole volume.
 */
function runDecoder(
  parts: Uint8Array[],
  moments?: readonly MomentCode[],
  keepStorage = false,
): {
  summary: Summary;
  fragments: SweepFragment[];
} {
  const fragments: SweepFragment[] = [];
  const level2Sweep = (wasm: NexradExports, section: number) => {
    const memory = wasm.memory.buffer as ArrayBuffer;
    fragments.push(
      readSweepSection(copyOut(wasm, section)!, memory, moments),
    );
  };
  return withWasm((wasm) => {
    const level2 = wasm as unknown as Level2Exports;
    const total = parts.reduce((n, part) => n + part.length, 0);
    let windowed = total > WINDOW_BYTES;
    let input = copyIn(wasm, windowed ? slice(parts, 0, PROBE_BYTES) : parts);
    const codeMask = momentMask(moments);
    const keep = keepStorage ? 1 : 0;
    let aborted = false;
    try {
      const status = level2.level2Begin(
        input,
        windowed ? 0 : 1,
        codeMask,
        keep,
      );
      if (status === L.STATUS_WHOLE_INPUT_NEEDED) {
        level2.level2Release();
        releaseBuffer(wasm, input);
        input = 0;
        windowed = false;
        input = copyIn(wasm, parts);
        level2.level2Begin(input, 1, codeMask, keep);
      }
      let start = 0;
      let size = WINDOW_BYTES;
      while (true) {
        if (level2.level2Next() !== 0) continue;
        const wanted = windowed ? level2.level2WantedOffset() : -1;
        if (wanted < 0) break;
        // No progress: a message is larger than the window.
        if (wanted === start) size *= 2;
        start = wanted;
        const end = Math.min(total, start + size);
        const nextWindow = slice(parts, start, end);
        // A window as long as the last one is written over it. The module's
        // allocator (TLSF) rounds each request up to the next size class,
        // so a new window skipped the block the last one freed.
        if (!refill(wasm, input, nextWindow)) {
          releaseBuffer(wasm, input);
          input = 0;
          // Free the last window first, so a shorter one can fit in it.
          wasm.__collect();
          input = copyIn(wasm, nextWindow);
        }
        level2.level2Feed(input, end === total ? 1 : 0);
      }
      const summary = readSummary(copyOut(wasm, level2.level2Summary())!);
      return { summary, fragments };
    } catch (error) {
      aborted = error instanceof WasmAbortError ||
        error instanceof WebAssembly.RuntimeError;
      throw error;
    } finally {
      // An aborted instance is thrown away: calling into it again could
      // abort once more and hide the first error.
      if (!aborted) {
        level2.level2Release();
        releaseBuffer(wasm, input);
      }
    }
  }, { level2Sweep });
}

/**
 * Returns the decoder's mask of moments whose codes to keep: bit i for
 * moment i of the layout's MOMENT_NAMES, every bit without `moments`.
 */
function momentMask(moments?: readonly MomentCode[]): number {
  if (moments === undefined) return (1 << L.MOMENT_KINDS) - 1;
  let mask = 0;
  for (const code of moments) {
    const index = L.MOMENT_NAMES.indexOf(code);
    if (index >= 0) mask |= 1 << index;
  }
  return mask;
}

/** The bytes from `start` to `end` of an input in `parts`, as subarrays. */
function slice(parts: Uint8Array[], start: number, end: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const part of parts) {
    const from = Math.max(start - at, 0);
    const to = Math.min(end - at, part.length);
    if (from < to) pieces.push(part.subarray(from, to));
    at += part.length;
  }
  return pieces;
}

/** Options of {@linkcode decodeArchive}. */
export interface DecodeArchiveOptions {
  /** Position of the input in its file, added to warning offsets. */
  offset?: number;
  /**
   * Moments whose codes to copy out. The others are left out of the
   * fragments. Without this option every moment is kept.
   */
  moments?: readonly MomentCode[];
  /**
   * True to leave the decompressor's storage in the module for the next
   * decode, as a feed of chunks does: its tables (about 7.2 MB for 900 kB
   * blocks) and up to 16 MB of output. Otherwise the storage is freed, so
   * that later work reuses that memory.
   */
  keepStorage?: boolean;
}

/**
 * Runs the decoder on one input (a whole file, one real-time chunk or a
 * piece of a file), inflating gzip first, and returns its summary and
 * sweep fragments.
 *
 * @throws {DecodeError} The input is not Level 2 data that can be read.
 */
export async function decodeArchive(
  bytes: Uint8Array,
  source: string,
  options: DecodeArchiveOptions = {},
): Promise<DecodedArchive> {
  const warnings: DecodeWarning[] = [];
  let parts = [bytes];
  for (let layer = 0; layer < MAX_GZIP_LAYERS; layer++) {
    if (!isGzip(headOf(parts))) break;
    const inflated = await gunzip(joinParts(parts));
    if (inflated.error !== null && inflated.length === 0) {
      throw new DecodeError(
        `Cannot inflate gzip layer ${layer + 1}: ${inflated.error}`,
        { source, offset: 0 },
      );
    }
    if (inflated.error !== null) {
      warnings.push({
        source,
        offset: inflated.length,
        message:
          `gzip stream ended early (${inflated.error}); decoded the ${inflated.length} bytes inflated before it, offsets below count in them`,
      });
    }
    parts = inflated.parts;
  }
  const { summary, fragments } = runDecoder(
    parts,
    options.moments,
    options.keepStorage,
  );
  if (summary.status !== L.STATUS_OK) {
    const text = STATUS_TEXT[summary.status] ??
      `decoder status ${summary.status}`;
    const level3 = summary.status === L.STATUS_UNKNOWN_FORMAT &&
      parts.length > 0 && isLevel3Product(parts[0]);
    throw new DecodeError(
      level3
        ? `${text}; it starts with a WMO heading, as a Level 3 product does`
        : text,
      { source, offset: 0 },
    );
  }
  warnings.push(...describeWarnings(summary, source, options.offset));
  return { summary, fragments, warnings };
}

/**
 * A WMO abbreviated heading ("SDUS53 KLSX 301540"), after the SOH (matched
 * as any non-word character) and sequence number of a NOAAPORT or LDM
 * frame when there is one.
 */
const WMO_HEADING = /^(?:\W\r\r\n\d{3} ?\r\r\n)?[A-Z]{4}\d{2} [A-Z]{4} \d{6}/;

/** True when `bytes` start as a Level 3 product file does. */
function isLevel3Product(bytes: Uint8Array): boolean {
  return WMO_HEADING.test(String.fromCharCode(...bytes.subarray(0, 40)));
}

/** The first bytes of parts, enough to recognise a wrapper. */
function headOf(parts: Uint8Array[]): Uint8Array {
  const head = new Uint8Array(8);
  let at = 0;
  for (const part of parts) {
    if (at >= head.length) break;
    const piece = part.subarray(0, head.length - at);
    head.set(piece, at);
    at += piece.length;
  }
  return head.subarray(0, at);
}

const SITE_PATTERN = /^[A-Z][A-Z0-9]{3}$/;

/** Site from the volume header, else the first radial, else the name. */
function siteId(summary: Summary, source: string): string {
  for (const candidate of [summary.icaoVolumeHeader, summary.icaoRadial]) {
    if (SITE_PATTERN.test(candidate)) return candidate;
  }
  const fromName = source.split("/").at(-1)?.match(/[KPT][A-Z]{3}/);
  return fromName?.[0] ?? "";
}

function location(summary: Summary): RadarLocation | null {
  if (Number.isNaN(summary.latitudeDeg)) return null;
  return {
    latitudeDeg: summary.latitudeDeg,
    longitudeDeg: summary.longitudeDeg,
    siteHeightM: summary.siteHeightM,
    feedhornHeightM: summary.feedhornHeightM,
  };
}

/** Volume time from the header date and time, when they are set. */
export function headerTime(summary: Summary): Date | null {
  if (!summary.hasVolumeHeader || summary.julianDate <= 0) return null;
  return new Date(
    (summary.julianDate - 1) * MS_PER_DAY + summary.msAfterMidnight,
  );
}

/**
 * Assembles a volume from decoded parts; shared with the chunk reader.
 * `header` supplies the volume header and pattern; `radialSummaries`, in
 * file order, supply the first radial's site facts and the last radial's
 * status; `adjacent` is passed to {@linkcode joinScans}.
 */
export function assembleVolume(
  header: Summary,
  fragments: SweepFragment[],
  warnings: DecodeWarning[],
  source: string,
  radialSummaries: Summary[] = [header],
  adjacent?: (index: number) => boolean,
): Volume {
  const scans = joinScans(fragments, adjacent);
  const vcp = header.vcpNumber !== null && header.cuts.length > 0
    ? { vcpNumber: header.vcpNumber, cuts: header.cuts }
    : null;
  const sweeps = toSweeps(scans, vcp?.cuts ?? null);
  const withRadials = radialSummaries.filter((s) => s.messageType !== 0);
  const first = withRadials[0] ?? header;
  const last = withRadials.at(-1) ?? header;
  const firstTime = sweeps[0]?.timesMs[0];
  return {
    siteId: siteId(
      { ...header, icaoRadial: first.icaoRadial },
      source,
    ),
    archiveVersion: header.hasVolumeHeader ? header.tapeName.slice(0, 8) : null,
    collectedAt: headerTime(header) ?? new Date(firstTime ?? 0),
    location: location(first),
    vcpNumber: vcp?.vcpNumber ?? first.radialVcpNumber,
    vcp,
    sweeps,
    complete: last.lastRadialStatus === 4,
    warnings,
  };
}

/**
 * Decodes a Level 2 volume: a whole Archive II file in any of its
 * wrappers, or one real-time chunk.
 *
 * @param bytes The file as stored (gzip, bzip2 or plain).
 * @param options `source` names the file in errors and warnings, and
 * `moments` limits the codes kept.
 * @returns The volume, with the problems that were skipped as warnings.
 * @throws {DecodeError} The bytes are not Level 2 data that can be read.
 */
export async function decodeVolume(
  bytes: Uint8Array,
  options: DecodeVolumeOptions = {},
): Promise<Volume> {
  const source = options.source ?? "Level 2 input";
  const { summary, fragments, warnings } = await decodeArchive(bytes, source, {
    moments: options.moments,
  });
  return assembleVolume(summary, fragments, warnings, source);
}
