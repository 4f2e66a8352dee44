/**
 * The Level 2 pass: finds the volumes of the configured sites in a time
 * window of the archive, the newest ones of the real-time chunk bucket, or
 * local files, and hands them to the common pass, which renders one image
 * per elevation of each product (see `sweep_selection.ts`) and publishes
 * them.
 *
 * @module
 */

import { resolve } from "node:path";
import { isAbort } from "../core/errors.ts";
import { type ChunkName, parseChunkName } from "../core/level2/chunks.ts";
import {
  gunzip,
  hasVolumeHeader,
  isGzip,
  joinParts,
  VOLUME_HEADER_BYTES,
} from "../core/level2/wrappers.ts";
import { type SourceBucket, SourceError } from "../core/source/bucket.ts";
import {
  findNewestVolume,
  parseChunkKey,
  previousFolderNumber,
  volumeNumberOf,
} from "../core/source/level2_chunk_keys.ts";
import {
  level2DayPrefixes,
  selectLevel2Keys,
} from "../core/source/level2_keys.ts";
import type { Product } from "../core/storage/keys.ts";
import { createLimiter } from "./limit.ts";
import type { JobLog } from "./log.ts";
import {
  logListingFailure,
  type PassDependencies,
  type PassInput,
  type PassOptions,
  type PassSummary,
  runPass,
} from "./pass.ts";
import type { RenderedInput } from "./rendered.ts";

/** Settings of a Level 2 pass. */
export interface Level2PassOptions extends PassOptions {
  /** Products to render, the main one first, e.g. ["reflectivity", "velocity"]. */
  products: Product[];
}

/** A Level 2 input before the pass assigns its main product. */
export type Level2Input = Omit<PassInput, "product">;

/** Finds the volumes of `sites` that started between `start` and `end`. */
export async function discoverLevel2(
  source: SourceBucket,
  sites: readonly string[],
  start: Date,
  end: Date,
  log: JobLog,
): Promise<{ inputs: Level2Input[]; errors: number }> {
  const inputs: Level2Input[] = [];
  let errors = 0;
  for (const site of sites) {
    const keys: string[] = [];
    for (const prefix of level2DayPrefixes(site, start, end)) {
      try {
        for await (const object of source.list(prefix)) keys.push(object.key);
      } catch (error) {
        if (isAbort(error)) throw error;
        errors++;
        if (logListingFailure(log, `level2 site=${site}`, error)) {
          return { inputs, errors };
        }
      }
    }
    for (const found of selectLevel2Keys(keys, start, end)) {
      inputs.push({
        source: found.key,
        prefix: found.prefix,
        read: () => source.get(found.key),
      });
    }
  }
  return { inputs, errors };
}

/** How far past the clock a volume start may lie, for clock differences. */
const FUTURE_MARGIN_MS = 15 * 60_000;
/** How long before the newest volume the one before it may start. */
const PREVIOUS_MAX_MS = 30 * 60_000;

/** Returns the time of a volume id, `YYYYMMDD-HHMMSS`, in ms. */
function timeOf(volumeId: string): number {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)$/
    .exec(volumeId)!;
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
}

/** Formats a time as a chunk's volume id, `YYYYMMDD-HHMMSS`. */
function volumeIdOf(time: Date): string {
  return time.toISOString().slice(0, 19).replace(/[-:]/g, "").replace(
    "T",
    "-",
  );
}

/**
 * Finds the newest volumes of `sites` in the real-time chunk bucket: the
 * newest and the one before, whose last sweeps may have come in after the
 * previous pass. Each is one input of its chunks from the S chunk up to
 * the first one not yet uploaded, or to the E chunk, so a volume in
 * progress publishes its complete sweeps, and a later pass adds the next.
 *
 * A volume gets its last sweeps from here only in a pass that runs while
 * it is one of the two newest. One left partial (no pass for a whole
 * volume's time, or a chunk that never came) is recorded as such when
 * published, and the archive pass completes it from the archive object.
 */
export async function discoverLevel2Chunks(
  source: SourceBucket,
  sites: readonly string[],
  log: JobLog,
  now: Date = new Date(),
  memory?: RealtimeMemory,
): Promise<{ inputs: Level2Input[]; errors: number }> {
  // A volume starts when it is scanned: a later start is a stray key.
  const latest = volumeIdOf(new Date(now.getTime() + FUTURE_MARGIN_MS));
  const inputs: Level2Input[] = [];
  let errors = 0;
  for (const site of sites) {
    try {
      const numbers = (await source.folders(`${site}/`))
        .map((folder) => volumeNumberOf(site, folder))
        .filter((number) => number !== null);
      const listed = new Map<number, ChunkFile[]>();
      const volumeOf = async (number: number) => {
        const chunks = await listVolumeChunks(source, site, number, latest);
        listed.set(number, chunks);
        return chunks[0]?.volumeId ?? null;
      };
      const newest = await findNewestVolume(numbers, volumeOf);
      if (newest === null) {
        log.progress(
          `level2 site=${site}: no real-time volume in s3://${source.name}/${site}/`,
        );
        continue;
      }
      const volumes = [listed.get(newest.number)!];
      const previous = previousFolderNumber(numbers, newest.number);
      if (previous !== null) {
        if (!listed.has(previous)) await volumeOf(previous);
        const older = listed.get(previous)!;
        // Volumes follow each other every 4 to 10 minutes: one older than
        // that is left from before an outage or a new numbering.
        const gap = older.length > 0
          ? timeOf(newest.volumeId) - timeOf(older[0].volumeId)
          : NaN;
        if (gap > 0 && gap <= PREVIOUS_MAX_MS) {
          volumes.unshift(older);
        }
      }
      for (const [i, chunks] of volumes.entries()) {
        // The newest volume's missing chunk may still come; the one before
        // is over, so a gap there leaves it partial.
        const finished = i < volumes.length - 1;
        const run = uploadedRun(
          chunks,
          source,
          finished ? log.warn : log.progress,
        );
        const key = `${source.name}/${run[0].folder}${run[0].stem}`;
        if (memory?.get(key) === run.length) {
          log.progress(
            `level2 key=s3://${key}: ${run.length} chunks, as in the last pass that read it; skipped`,
          );
          continue;
        }
        const input = bucketChunkSetInput(source, run);
        inputs.push({
          ...input,
          read: async () => {
            try {
              return await input.read();
            } catch (error) {
              // The same chunks are rejected the same way (another site,
              // too large, damaged), so they wait for more. A source error
              // or a stop may pass, so those are read again.
              if (!(error instanceof SourceError) && !isAbort(error)) {
                remember(memory, key, run.length);
              }
              throw error;
            }
          },
          done: () => remember(memory, key, run.length),
        });
      }
    } catch (error) {
      if (isAbort(error)) throw error;
      errors++;
      if (logListingFailure(log, `level2 site=${site}`, error)) {
        return { inputs, errors };
      }
    }
  }
  return { inputs, errors };
}

/**
 * Lists the chunks of volume folder `number` of `site`, in sequence order:
 * those of the newest volume in it that has its S chunk and starts no
 * later than `latest`. Keys of another shape, of a volume without an S
 * chunk (a leftover, a stray key) or of a later one are left out. A folder
 * contains one volume until the numbers come round again, so an older
 * volume is one the bucket has not dropped yet.
 */
async function listVolumeChunks(
  source: SourceBucket,
  site: string,
  number: number,
  latest: string,
): Promise<ChunkFile[]> {
  const folder = `${site}/${number}/`;
  const chunks: ChunkFile[] = [];
  for await (const { key, size } of source.list(folder)) {
    const chunk = parseChunkKey(folder, key);
    if (chunk !== null && chunk.volumeId <= latest) {
      const stem = chunk.volumeId;
      chunks.push({ path: key, folder, stem, site, size, ...chunk });
    }
  }
  const newest = chunks.reduce(
    (id, chunk) =>
      chunk.sequence === 1 && chunk.type === "S" && chunk.volumeId > id
        ? chunk.volumeId
        : id,
    "",
  );
  return chunks.filter((chunk) => chunk.volumeId === newest)
    .sort((a, b) => a.sequence - b.sequence);
}

/**
 * Returns the chunks from the S chunk up to the first gap, or to the E
 * chunk: those after a chunk not yet uploaded wait for the next pass.
 */
function uploadedRun(
  chunks: readonly ChunkFile[],
  source: SourceBucket,
  report: (line: string) => void,
): ChunkFile[] {
  let end = 0;
  while (
    end < chunks.length && chunks[end].sequence === end + 1 &&
    chunks[end - 1]?.type !== "E"
  ) end++;
  if (end < chunks.length && chunks[end - 1]?.type !== "E") {
    report(
      `level2 key=s3://${source.name}/${chunks[0].folder}: chunk ${
        end + 1
      } is not uploaded yet; ${chunks.length - end} later ${
        chunks.length - end === 1 ? "chunk waits" : "chunks wait"
      } for the next pass`,
    );
  }
  return chunks.slice(0, end);
}

/**
 * Chunk counts of the real-time volumes that passes of this process have
 * finished, by bucket, folder and volume: a volume whose count has not
 * changed since is not read again. Keeps the latest entries only.
 */
export type RealtimeMemory = Map<string, number>;

/** Volumes a {@linkcode RealtimeMemory} keeps. */
const REMEMBERED_VOLUMES = 256;

function remember(
  memory: RealtimeMemory | undefined,
  key: string,
  count: number,
): void {
  if (memory === undefined) return;
  memory.delete(key);
  memory.set(key, count);
  if (memory.size > REMEMBERED_VOLUMES) {
    memory.delete(memory.keys().next().value!);
  }
}

/** Makes one input of the chunks of a volume in the real-time bucket. */
function bucketChunkSetInput(
  source: SourceBucket,
  chunks: ChunkFile[],
): Level2Input {
  return {
    ...chunkSetInput(
      chunks,
      (chunk) => source.get(chunk.path),
      `s3://${source.name}/${chunks[0].folder}${chunks[0].stem}`,
    ),
    growing: chunks.at(-1)!.type !== "E",
    appendOnly: true,
  };
}

/**
 * Makes the inputs of local files. Each is named from its decoded volume
 * (site, volume start and archive version), whatever the file's name, so
 * a renamed file cannot land under another site or time.
 *
 * Real-time chunks (`YYYYMMDD-HHMMSS-NNN-T`) of one volume in one folder
 * make one input. Joined in sequence order they are the volume as the
 * archive stores it: the S chunk contains the volume header and metadata
 * record, every I and E chunk one LDM record.
 */
export function level2FileInputs(paths: readonly string[]): Level2Input[] {
  // Files and chunk sets in the order of their first file.
  const items: (string | ChunkFile[])[] = [];
  const sets = new Map<string, ChunkFile[]>();
  // A chunk given twice (a glob repeated, or ./a and a) is joined once.
  const seen = new Set<string>();
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const base = path.slice(slash + 1);
    const chunk = parseChunkName(base);
    if (chunk === null) {
      items.push(path);
      continue;
    }
    const resolved = resolve(path);
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    const folder = path.slice(0, slash + 1);
    // The name without its -NNN-T, so that a prefix (a site id) keeps
    // sets apart; the folder resolved, so that ./a/ and /x/a/ are one.
    const stem = base.replace(/-\d+-[SIE]$/, "");
    const key = `${resolve(folder === "" ? "." : folder)}/${stem}`;
    let set = sets.get(key);
    if (set === undefined) {
      set = [];
      sets.set(key, set);
      items.push(set);
    }
    set.push({ path, folder, stem, ...chunk });
  }
  return items.map((item) =>
    typeof item === "string"
      ? {
        source: item,
        prefix: null,
        local: true,
        read: () => Deno.readFile(item),
      }
      : chunkSetInput(item, (file) => Deno.readFile(file.path))
  );
}

interface ChunkFile extends ChunkName {
  /** File path, or object key of the real-time bucket. */
  path: string;
  /** The path up to and with its last slash. */
  folder: string;
  /** The file name without its `-NNN-T`. */
  stem: string;
  /** Site of a bucket folder, which the S chunk's volume header must name. */
  site?: string;
  /** Size of a bucket object, from its listing. */
  size?: number;
}

/**
 * Makes one input of the chunk files of a volume, read with `readChunk`.
 * Like a local file, it is named from its data and decoded even when its
 * volume is listed, which it then replaces only with more images.
 */
function chunkSetInput(
  files: ChunkFile[],
  readChunk: (file: ChunkFile) => Promise<Uint8Array>,
  name = `${files[0].folder}${files[0].stem}`,
): Level2Input {
  files.sort((a, b) => a.sequence - b.sequence);
  // Where each file starts in the joined bytes, once read.
  let starts: number[] = [];
  let length = 0;
  return {
    source: `${name} (${
      files.length === 1 ? "1 chunk" : `${files.length} chunks`
    })`,
    prefix: null,
    local: true,
    read: async () => {
      checkChunkSet(name, files);
      let listed = 0;
      for (const file of files) {
        listed += file.size ?? 0;
        if (listed > MAX_JOINED_BYTES) {
          throw new Error(
            `Chunk set ${name} cannot be joined: ${file.path} ${TOO_LARGE}`,
          );
        }
      }
      const limited = createLimiter(CHUNK_READS);
      const raw = await Promise.all(
        files.map((file) => limited(() => readChunk(file))),
      );
      const parts: Uint8Array[] = [];
      starts = [];
      length = 0;
      for (const [i, file] of files.entries()) {
        const last = i === files.length - 1;
        const room = MAX_JOINED_BYTES - length;
        const part = await checkChunk(name, file, raw[i], last, room);
        parts.push(part);
        starts.push(length);
        length += part.length;
      }
      const joined = new Uint8Array(length);
      for (const [i, part] of parts.entries()) joined.set(part, starts[i]);
      return joined;
    },
    locate: (offset) => {
      if (starts.length === 0 || !(offset >= 0 && offset <= length)) {
        return "outside the joined chunks";
      }
      let i = starts.length - 1;
      while (i > 0 && starts[i] > offset) i--;
      const file = files[i].path.slice(files[i].folder.length);
      return offset === length
        ? `the end of ${file}`
        : `${file} at byte ${offset - starts[i]}`;
    },
  };
}

/**
 * Throws unless `files` run from the S chunk without a gap to at most one
 * E chunk, the last. Records joined across a missing chunk would be read
 * as one sweep, and a second S chunk would end the volume there.
 */
function checkChunkSet(name: string, files: readonly ChunkFile[]): void {
  const fail = (reason: string) => {
    throw new Error(`Chunk set ${name} cannot be joined: ${reason}`);
  };
  const missing: [number, number][] = [];
  let expected = 1;
  for (const [i, file] of files.entries()) {
    if (file.sequence === 0) {
      fail(`${file.path} is chunk 0; chunks count from 1`);
    }
    if (file.sequence < expected) {
      fail(
        `${files[i - 1].path} and ${file.path} are both chunk ${file.sequence}`,
      );
    }
    if (file.sequence > expected) missing.push([expected, file.sequence - 1]);
    expected = file.sequence + 1;
    if (file.sequence > 1 && file.type === "S") {
      fail(`${file.path} is an S chunk, which only chunk 1 can be`);
    }
    if (file.type === "E" && i < files.length - 1) {
      fail(`${file.path} ends the volume, but chunks after it follow`);
    }
  }
  if (missing.length > 0) {
    const count = missing.reduce((sum, [from, to]) => sum + to - from + 1, 0);
    const list = missing.map(([from, to]) =>
      from === to ? `${from}` : `${from} to ${to}`
    ).join(", ");
    fail(
      `${count === 1 ? "chunk" : "chunks"} ${list} ${
        count === 1 ? "is" : "are"
      } missing (every chunk from the S chunk, 1, is needed)`,
    );
  }
  if (files[0].type !== "S") {
    fail(`chunk 1 is ${files[0].path}, not an S chunk`);
  }
}

/** Chunks of one set read at once. */
const CHUNK_READS = 8;

/**
 * Largest size of a volume's chunks joined: 256 MiB. A volume of the
 * archive is 1.3 to 13 MB compressed and 24 to 80 MB decompressed.
 */
const MAX_JOINED_BYTES = 256 << 20;
const TOO_LARGE = `takes the chunks joined past ${
  MAX_JOINED_BYTES >> 20
} MiB, far more than any volume`;

/**
 * Returns the bytes of a chunk (inflated when gzip, to at most `room` bytes)
 * after checking that the S chunk's volume header is of the volume in its name,
 * and that every chunk but the last is whole LDM records. A foreign S chunk
 * would publish the other chunks under its site and time, and a truncated,
 * corrupt or empty chunk would shift every record after it. The last may
 * be cut short, as a file may: the sweeps before the cut are published
 * and the decoder warns.
 */
async function checkChunk(
  name: string,
  file: ChunkFile,
  bytes: Uint8Array,
  last: boolean,
  room: number,
): Promise<Uint8Array> {
  const fail = (reason: string) => {
    throw new Error(
      `Chunk set ${name} cannot be joined: ${file.path} ${reason}`,
    );
  };
  if (bytes.length > room) fail(TOO_LARGE);
  if (isGzip(bytes)) {
    const inflated = await gunzip(bytes, room);
    if (inflated.error !== null) {
      fail(`is gzip that does not inflate: ${inflated.error}`);
    }
    bytes = joinParts(inflated.parts);
  }
  if (bytes.length === 0 && !last) fail("is empty");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let position = 0;
  if (file.type === "S") {
    if (!hasVolumeHeader(bytes)) fail("does not start with a volume header");
    const date = view.getUint32(12);
    if (date > 0) {
      const time = new Date((date - 1) * 86_400_000 + view.getUint32(16));
      if (Number.isNaN(time.getTime())) fail("has an invalid volume date");
      const id = volumeIdOf(time);
      if (id !== file.volumeId) {
        fail(
          `contains the volume header of ${id}, not of ${file.volumeId}: it is the S chunk of another volume`,
        );
      }
    }
    const site = new TextDecoder().decode(bytes.subarray(20, 24));
    if (file.site !== undefined && site !== file.site) {
      fail(
        `contains the volume header of site ${site}, not of ${file.site}: it is the S chunk of another radar`,
      );
    }
    position = VOLUME_HEADER_BYTES;
  }
  while (!last && position < bytes.length) {
    if (bytes.length - position < 4) {
      fail(`ends with ${bytes.length - position} bytes that are no LDM record`);
    }
    const size = Math.abs(view.getInt32(position));
    if (size > bytes.length - position - 4) {
      fail(
        `is cut short: its LDM record at byte ${position} declares ${size} bytes, ${
          bytes.length - position - 4
        } follow`,
      );
    }
    position += 4 + size;
  }
  return bytes;
}

/** Processes Level 2 inputs, publishes them and applies retention. */
export function runLevel2Pass(
  deps: PassDependencies,
  options: Level2PassOptions,
  inputs: readonly Level2Input[],
): Promise<PassSummary> {
  const [main] = options.products;
  return runPass(
    deps,
    {
      level: 2,
      products: options.products,
      task: (input, bytes) => ({
        kind: "level2",
        bytes,
        source: input.source,
        products: options.products,
        resolutionM: options.resolutionM,
      }),
      prefixOf: level2PrefixOf,
    },
    options,
    inputs.map((input) => ({ ...input, product: main })),
  );
}

/** Builds `SITEYYYYMMDD_HHMMSS_Vnn` from a decoded volume. */
function level2PrefixOf(rendered: RenderedInput): string {
  const digits = rendered.collectedAt.replace(/\D/g, "");
  const version = /^AR2V00(\d\d)$/.exec(rendered.archiveVersion ?? "")?.[1] ??
    "00";
  return `${rendered.siteId}${digits.slice(0, 8)}_${
    digits.slice(8, 14)
  }_V${version}`;
}
