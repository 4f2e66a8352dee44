/**
 * Helpers shared by the benchmark sections that time Debian's `bzip2 -d`
 * as the native reference.
 *
 * @module
 */

/** bzip2's stream for no bytes: "BZh9", end-of-stream magic, CRC 0. */
export const EMPTY_STREAM: Uint8Array = new Uint8Array([
  0x42,
  0x5a,
  0x68,
  0x39,
  0x17,
  0x72,
  0x45,
  0x38,
  0x50,
  0x90,
  0,
  0,
  0,
  0,
]);

/** Returns the path of the `bzip2` program, or null where none is installed. */
export async function findBzip2(): Promise<string | null> {
  for (const path of ["/usr/bin/bzip2", "/bin/bzip2"]) {
    try {
      await Deno.stat(path);
      return path;
    } catch {
      // not installed here
    }
  }
  return null;
}

/** Runs `bzip2 -dc path` with its output discarded; throws when it fails. */
export async function runBzip2(bzip2: string, path: string): Promise<void> {
  const { success } = await new Deno.Command(bzip2, {
    args: ["-dc", path],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!success) throw new Error(`${bzip2} -dc ${path} failed`);
}

/** Reports whether `bytes` start with the bzip2 magic "BZh". */
export function isBzip2(bytes: Uint8Array): boolean {
  return bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68;
}

/** Joins byte arrays into one, e.g. records into concatenated streams. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(
    parts.reduce((length, part) => length + part.length, 0),
  );
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/**
 * Returns the milliseconds `bzip2 -dc` takes on `streams` joined: the
 * fastest of `runs` runs, less the fastest run on an empty stream (process
 * start).
 */
export async function nativeMs(
  bzip2: string,
  streams: Uint8Array[],
  runs: number,
): Promise<number> {
  const files = await writeNativeInputs(streams);
  try {
    return await fastestRun(bzip2, files.path, runs) -
      await fastestRun(bzip2, files.empty, runs);
  } finally {
    await files.remove();
  }
}

/** Temporary files for timing `bzip2 -dc`, to remove when done. */
export interface NativeInputs {
  /** The streams joined. */
  path: string;
  /** An empty stream, whose run is the process start. */
  empty: string;
  remove(): Promise<void>;
}

/** Writes `streams` joined and an empty stream to temporary files. */
export async function writeNativeInputs(
  streams: Uint8Array[],
): Promise<NativeInputs> {
  const folder = await Deno.makeTempDir({ prefix: "bench_bzip2_" });
  const remove = () => Deno.remove(folder, { recursive: true });
  const path = `${folder}/streams.bz2`;
  const empty = `${folder}/empty.bz2`;
  try {
    await Deno.writeFile(path, concat(streams));
    await Deno.writeFile(empty, EMPTY_STREAM);
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, empty, remove };
}

/** Returns the fastest of `runs` runs of `bzip2 -dc path`, in ms. */
export async function fastestRun(
  bzip2: string,
  path: string,
  runs: number,
): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await runBzip2(bzip2, path);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}
