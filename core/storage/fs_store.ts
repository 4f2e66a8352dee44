/**
 * A {@linkcode Store} in a local directory, one file per key.
 *
 * Every write goes to a temporary file in the target's folder and is then
 * renamed over the target, so readers never see half an object. Conditional
 * writes hold an exclusive `flock` on a per-key lock file under `.locks/`
 * while they compare and rename, which serialises writers across processes
 * on one machine. The kernel drops the lock when a holder dies, so a crash
 * leaves no stale lock.
 *
 * NOTE: flock is advisory and unreliable on some network filesystems
 * (NFS, SMB); keep `DATA_DIR` on a local disk when several processes write.
 *
 * @module
 */

import { etagOf } from "./etag.ts";
import { assertSafeKey } from "./keys.ts";
import {
  type ObjectInfo,
  type PutOptions,
  StorageError,
  type Store,
  type StoredObject,
} from "./store.ts";

const LOCK_FOLDER = ".locks";
/** Name of a temporary file: `.{name}.{UUID}.tmp` beside its target. */
const TEMPORARY_NAME =
  /^\..+\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/** Filesystem implementation of {@linkcode Store}. */
export class FsStore implements Store {
  readonly #root: string;

  /** Creates a store rooted at `root`; folders are created on first write. */
  constructor(root: string) {
    this.#root = root.replace(/\/+$/, "") || "/";
  }

  async get(key: string): Promise<StoredObject | null> {
    const path = this.#path(key);
    try {
      const body = await Deno.readFile(path);
      const { mtime } = await Deno.stat(path);
      return { body, etag: await etagOf(body), lastModified: mtime! };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw failure("read", key, error);
    }
  }

  async put(key: string, body: Uint8Array, _options: PutOptions) {
    const path = this.#path(key);
    try {
      await writeAtomically(path, body);
    } catch (error) {
      throw failure("write", key, error);
    }
  }

  async putIfMatch(
    key: string,
    body: Uint8Array,
    expectedEtag: string | null,
    _options: PutOptions,
  ): Promise<boolean> {
    const path = this.#path(key);
    const lock = await this.#lock(key);
    try {
      const current = await readIfExists(path);
      const currentEtag = current === null ? null : await etagOf(current);
      if (currentEtag !== expectedEtag) return false;

      await writeAtomically(path, body);
      return true;
    } catch (error) {
      throw failure("write", key, error);
    } finally {
      lock.close();
    }
  }

  async delete(keys: string[]): Promise<void> {
    const paths = keys.map((key) => this.#path(key));
    for (const [i, path] of paths.entries()) {
      try {
        await Deno.remove(path);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) {
          throw failure("delete", keys[i], error);
        }
      }
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    // The prefix may end inside a name ("plots_level2/KPDT2025"), so walk
    // the folder that contains it and filter by the whole key.
    if (prefix !== "") assertSafeKey(prefix.replace(/\/$/, ""));
    const folder = prefix.slice(0, prefix.lastIndexOf("/") + 1);

    const keys: string[] = [];
    try {
      for await (const key of walk(this.#root, folder)) {
        if (key.startsWith(prefix)) keys.push(key);
      }
    } catch (error) {
      throw failure("list", prefix, error);
    }

    keys.sort();
    for (const key of keys) {
      const info = await statIfExists(`${this.#root}/${key}`);
      if (info !== null) {
        yield { key, size: info.size, lastModified: info.mtime! };
      }
    }
  }

  /**
   * Removes the temporary files older than `before` in the key folders,
   * passing over folders it cannot read and files it cannot remove (a
   * mount's `lost+found`, another user's files).
   */
  async removeAbandoned(before: Date): Promise<number> {
    let removed = 0;
    for await (const path of temporaries(this.#root)) {
      try {
        const info = await statIfExists(path);
        if (info === null || info.mtime! >= before) continue;
        await Deno.remove(path);
        removed++;
      } catch {
        // Gone meanwhile or not ours to remove: a later pass tries again.
      }
    }
    return removed;
  }

  #path(key: string): string {
    assertSafeKey(key);
    return `${this.#root}/${key}`;
  }

  /** Opens the key's lock file and waits for an exclusive flock on it. */
  async #lock(key: string): Promise<Deno.FsFile> {
    const folder = `${this.#root}/${LOCK_FOLDER}`;
    try {
      await Deno.mkdir(folder, { recursive: true });
      // Lock files are never removed: unlinking a file that another process
      // is waiting on would let a third process lock a new file of the
      // same name while the waiter locks the old one.
      const file = await Deno.open(
        `${folder}/${encodeURIComponent(key)}.lock`,
        { write: true, create: true },
      );
      await file.lock(true);
      return file;
    } catch (error) {
      throw failure("lock", key, error);
    }
  }
}

/** Writes to a temporary dot-file beside `path`, syncs it, renames it. */
async function writeAtomically(path: string, body: Uint8Array) {
  const slash = path.lastIndexOf("/");
  const folder = path.slice(0, slash);
  const temporary = `${folder}/.${
    path.slice(slash + 1)
  }.${crypto.randomUUID()}.tmp`;
  await Deno.mkdir(folder, { recursive: true });

  try {
    const file = await Deno.open(temporary, { write: true, createNew: true });
    try {
      // FsFile.write may write fewer bytes than asked; loop until done.
      let offset = 0;
      while (offset < body.length) {
        offset += await file.write(body.subarray(offset));
      }
      await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

async function readIfExists(path: string): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function statIfExists(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    // A file deleted between the walk and the stat is simply gone.
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Yields the keys of the files under `root/folder`, skipping dot-files. */
async function* walk(root: string, folder: string): AsyncIterable<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(`${root}/${folder}`));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }

  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const key = folder + entry.name;
    if (entry.isDirectory) yield* walk(root, `${key}/`);
    else if (entry.isFile) yield key;
  }
}

/**
 * Yields the paths of the temporary files in `folder` and the folders of
 * keys under it. No key segment starts with a dot, so dot-folders (`.locks`
 * among them) are passed over, and so is a folder that cannot be read.
 */
async function* temporaries(folder: string): AsyncIterable<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(folder));
  } catch {
    return;
  }

  for (const entry of entries) {
    const path = `${folder}/${entry.name}`;
    if (entry.isFile && TEMPORARY_NAME.test(entry.name)) yield path;
    else if (entry.isDirectory && !entry.name.startsWith(".")) {
      yield* temporaries(path);
    }
  }
}

function failure(action: string, key: string, cause: unknown): StorageError {
  if (cause instanceof StorageError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new StorageError(
    `Failed to ${action} "${key}" in the data folder: ${detail}`,
    key,
    { cause },
  );
}
