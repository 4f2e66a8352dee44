/**
 * The Level 2 pass: finds the volumes of the configured sites in a time
 * window of the archive (or takes local files) and hands the new ones to
 * the common pass, which renders one image per elevation of each product
 * (see `sweep_selection.ts`) and publishes them.
 *
 * @module
 */

import { type ChunkName, parseChunkName } from "../core/level2/chunks.ts";
import type { SourceBucket } from "../core/source/bucket.ts";
import {
  level2DayPrefixes,
  selectLevel2Keys,
} from "../core/source/level2_keys.ts";
import type { Product } from "../core/storage/keys.ts";
import type { JobLog } from "./log.ts";
import {
  messageOf,
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
        errors++;
        log.error(`level2 site=${site}: ${messageOf(error)}`);
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

/**
 * Makes the inputs of local files. Each is named from its decoded volume
 * (site, volume start and archive version), whatever the file's name, so
 * a renamed file cannot land under another site or time.
 *
 * Real-time chunks (`YYYYMMDD-HHMMSS-NNN-T`) of one volume in one folder
 * make one input. Joined in sequence order they are the volume as the
 * archive stores it: the S chunk holds the volume header and metadata
 * record, every I and E chunk one LDM record.
 */
export function level2FileInputs(paths: readonly string[]): Level2Input[] {
  // Files and chunk sets in the order of their first file.
  const items: (string | ChunkFile[])[] = [];
  const sets = new Map<string, ChunkFile[]>();
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const chunk = parseChunkName(path.slice(slash + 1));
    if (chunk === null) {
      items.push(path);
      continue;
    }
    const folder = path.slice(0, slash + 1);
    const key = folder + chunk.volumeId;
    let set = sets.get(key);
    if (set === undefined) {
      set = [];
      sets.set(key, set);
      items.push(set);
    }
    set.push({ path, folder, ...chunk });
  }
  return items.map((item) =>
    typeof item === "string"
      ? {
        source: item,
        prefix: null,
        local: true,
        read: () => Deno.readFile(item),
      }
      : chunkSetInput(item)
  );
}

interface ChunkFile extends ChunkName {
  path: string;
  /** The path up to and with its last slash. */
  folder: string;
}

/** Makes one input of the chunk files of a volume. */
function chunkSetInput(files: ChunkFile[]): Level2Input {
  files.sort((a, b) => a.sequence - b.sequence);
  const { folder, volumeId } = files[0];
  const name = `${folder}${volumeId}`;
  // Where each file starts in the joined bytes, once read.
  let starts: number[] = [];
  return {
    source: `${name} (${
      files.length === 1 ? "1 chunk" : `${files.length} chunks`
    })`,
    prefix: null,
    local: true,
    read: async () => {
      checkChunkSet(name, files);
      const parts = await Promise.all(files.map((f) => Deno.readFile(f.path)));
      starts = [];
      let length = 0;
      for (const part of parts) {
        starts.push(length);
        length += part.length;
      }
      const joined = new Uint8Array(length);
      for (const [i, part] of parts.entries()) joined.set(part, starts[i]);
      return joined;
    },
    locate: (offset) => {
      let i = starts.length - 1;
      while (i > 0 && starts[i] > offset) i--;
      const file = files[i].path.slice(folder.length);
      return `${file} at byte ${offset - starts[i]}`;
    },
  };
}

/**
 * Throws unless `files` run from the S chunk without a gap: records
 * joined across a missing chunk would be read as one sweep.
 */
function checkChunkSet(name: string, files: readonly ChunkFile[]): void {
  const missing: number[] = [];
  let expected = 1;
  for (const file of files) {
    if (file.sequence < expected) {
      throw new Error(
        `Chunk set ${name} has chunk ${file.sequence} twice: ${file.path}`,
      );
    }
    for (; expected < file.sequence; expected++) missing.push(expected);
    expected++;
  }
  if (missing.length > 0) {
    throw new Error(
      `Chunk set ${name} cannot be joined: ${
        missing.length === 1 ? "chunk" : "chunks"
      } ${missing.join(", ")} ${
        missing.length === 1 ? "is" : "are"
      } missing (every chunk from the S chunk, 1, is needed)`,
    );
  }
  if (files[0].type !== "S") {
    throw new Error(
      `Chunk set ${name} cannot be joined: chunk 1 is ${
        files[0].path
      }, not an S chunk`,
    );
  }
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
