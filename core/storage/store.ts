/**
 * The object store the jobs write and the API reads: a local directory by
 * default, or any S3-compatible bucket. Both use the same keys.
 *
 * @module
 */

/** An object read from the store. */
export interface StoredObject {
  /** The object's bytes. */
  body: Uint8Array;
  /** Entity tag, quoted as in HTTP. */
  etag: string;
  /** Time of the last write. */
  lastModified: Date;
}

/** One entry of a listing. */
export interface ObjectInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  lastModified: Date;
}

/** Options of {@linkcode Store.put}. */
export interface PutOptions {
  /** MIME type stored with the object, e.g. "image/png". */
  contentType: string;
}

/**
 * Keys are relative, "/"-separated and already validated by the caller
 * (see `core/storage/keys.ts`); a store rejects any other key with a
 * TypeError before it touches the disk or the network.
 */
export interface Store {
  /** Reads an object; null when it does not exist. */
  get(key: string): Promise<StoredObject | null>;
  /**
   * Writes an object whole: readers see the old bytes or the new ones,
   * never a part (the filesystem store writes a temporary file and renames it).
   */
  put(key: string, body: Uint8Array, options: PutOptions): Promise<void>;
  /**
   * Writes an object only if its entity tag is still `expectedEtag`
   * (null: only if it does not exist yet). Use it through
   * `updateJsonObject()` in `core/storage/update_json.ts`, which retries.
   *
   * @returns false when another writer changed the object first.
   */
  putIfMatch(
    key: string,
    body: Uint8Array,
    expectedEtag: string | null,
    options: PutOptions,
  ): Promise<boolean>;
  /** Deletes objects; missing keys are not an error. */
  delete(keys: string[]): Promise<void>;
  /** Lists the objects whose keys start with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /**
   * Removes the leftovers of writes that never finished, last changed
   * before `before`: the filesystem store's temporary files of a killed
   * process. Returns how many it removed. Stores whose writes leave
   * nothing omit it.
   */
  removeAbandoned?(before: Date): Promise<number>;
}

/**
 * A store backend failed: a disk or network error, or an S3 error other
 * than a missing key or a failed precondition. `cause` is the original.
 */
export class StorageError extends Error {
  /** Key (or listing prefix) of the failed operation. */
  readonly key: string;

  constructor(message: string, key: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StorageError";
    this.key = key;
  }
}
