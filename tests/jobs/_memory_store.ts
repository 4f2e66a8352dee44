/**
 * A test double of the `Store` interface held in memory, with hooks that
 * make a write fail, so tests can stop a pass at a chosen object.
 *
 * @module
 */

import type {
  ObjectInfo,
  PutOptions,
  Store,
  StoredObject,
} from "../../core/storage/store.ts";

interface Entry {
  body: Uint8Array;
  etag: string;
  lastModified: Date;
  contentType: string;
}

/** An in-memory store; `objects` is exposed for assertions. */
export class MemoryStore implements Store {
  readonly objects = new Map<string, Entry>();
  /** Called before each write; throw from it to make the write fail. */
  beforeWrite: (key: string) => void = () => {};
  /** Called with the keys of each delete, before they go. */
  beforeDelete: (keys: string[]) => void = () => {};
  /** Clock of `lastModified`. */
  now: () => Date = () => new Date();
  #version = 0;

  get(key: string): Promise<StoredObject | null> {
    const entry = this.objects.get(key);
    if (entry === undefined) return Promise.resolve(null);
    return Promise.resolve({
      body: entry.body.slice(),
      etag: entry.etag,
      lastModified: entry.lastModified,
    });
  }

  put(key: string, body: Uint8Array, options: PutOptions): Promise<void> {
    this.beforeWrite(key);
    this.#write(key, body, options);
    return Promise.resolve();
  }

  putIfMatch(
    key: string,
    body: Uint8Array,
    expectedEtag: string | null,
    options: PutOptions,
  ): Promise<boolean> {
    this.beforeWrite(key);
    const etag = this.objects.get(key)?.etag ?? null;
    if (etag !== expectedEtag) return Promise.resolve(false);
    this.#write(key, body, options);
    return Promise.resolve(true);
  }

  delete(keys: string[]): Promise<void> {
    this.beforeDelete(keys);
    for (const key of keys) this.objects.delete(key);
    return Promise.resolve();
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix));
    for (const key of keys.sort()) {
      const entry = this.objects.get(key);
      if (entry === undefined) continue;
      yield { key, size: entry.body.length, lastModified: entry.lastModified };
    }
  }

  /** Parses a stored JSON object; undefined when it is missing. */
  json(key: string): unknown {
    const entry = this.objects.get(key);
    return entry && JSON.parse(new TextDecoder().decode(entry.body));
  }

  #write(key: string, body: Uint8Array, options: PutOptions): void {
    this.objects.set(key, {
      body: body.slice(),
      etag: `"${++this.#version}"`,
      lastModified: this.now(),
      contentType: options.contentType,
    });
  }
}
