import assert from "node:assert/strict";
import { FsStore } from "../../../core/storage/fs_store.ts";
import type { Store } from "../../../core/storage/store.ts";
import { updateJsonObject } from "../../../core/storage/update_json.ts";

const KEY = "flags/update_flags.json";
const JSON_TYPE = { contentType: "application/json" };

async function withStore(test: (store: FsStore) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "update_json_" });
  try {
    await test(new FsStore(root));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function readText(store: Store, key: string) {
  return new TextDecoder().decode((await store.get(key))!.body);
}

Deno.test("updateJsonObject() creates a missing object", async () => {
  await withStore(async (store) => {
    const result = await updateJsonObject(store, KEY, (current) => {
      assert.deepEqual(current, {});
      return { updates: { reflectivity: 1 } };
    });
    assert.deepEqual(result, {
      value: { updates: { reflectivity: 1 } },
      written: true,
      attempts: 1,
    });
    assert.equal(
      await readText(store, KEY),
      '{\n  "updates": {\n    "reflectivity": 1\n  }\n}\n',
    );
  });
});

Deno.test("updateJsonObject() skips the write on null", async () => {
  await withStore(async (store) => {
    await store.put(KEY, new TextEncoder().encode('{"a":1}'), JSON_TYPE);
    const before = (await store.get(KEY))!.etag;
    const result = await updateJsonObject(store, KEY, () => null);
    assert.equal(result.written, false);
    assert.deepEqual(result.value, { a: 1 });
    assert.equal((await store.get(KEY))!.etag, before);
  });
});

Deno.test("updateJsonObject() rejects or replaces invalid JSON", async () => {
  await withStore(async (store) => {
    // The last nests 5,000 levels, past what a copy of it could recurse.
    const deep = `{"a":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    for (const stored of ["{not json", "[1]", "null", '"text"', deep]) {
      await store.put(KEY, new TextEncoder().encode(stored), JSON_TYPE);
      await assert.rejects(
        updateJsonObject(store, KEY, () => ({ a: 1 })),
        (error: Error) =>
          error instanceof SyntaxError && error.message.includes(KEY),
        stored.slice(0, 20),
      );
      const result = await updateJsonObject(
        store,
        KEY,
        (current) => ({ ...current, a: 1 }),
        { replaceInvalid: true },
      );
      assert.deepEqual(result.value, { a: 1 });
    }
  });
});

/** Wraps a store so that another writer overwrites the key just before
 * each of the first `conflicts` conditional writes. */
function interfering(inner: Store, conflicts: number): Store {
  let left = conflicts;
  return {
    get: (key) => inner.get(key),
    put: (key, body, options) => inner.put(key, body, options),
    delete: (keys) => inner.delete(keys),
    list: (prefix) => inner.list(prefix),
    async putIfMatch(key, body, etag, options) {
      if (left-- > 0) {
        const other = new TextEncoder().encode(`{"n":${100 * (left + 1)}}`);
        await inner.put(key, other, options);
      }
      return inner.putIfMatch(key, body, etag, options);
    },
  };
}

Deno.test("updateJsonObject() retries after a lost race", async () => {
  await withStore(async (store) => {
    await store.put(KEY, new TextEncoder().encode('{"n":0}'), JSON_TYPE);
    const seen: unknown[] = [];
    const result = await updateJsonObject(
      interfering(store, 1),
      KEY,
      (current) => {
        seen.push(current.n);
        return { n: (current.n as number) + 1 };
      },
    );
    // First attempt read 0 and lost to the writer of 100; the second read
    // 100 and won.
    assert.deepEqual(seen, [0, 100]);
    assert.equal(result.attempts, 2);
    assert.equal(await readText(store, KEY), '{\n  "n": 101\n}\n');
  });
});

Deno.test("updateJsonObject() gives up after maxAttempts", async () => {
  await withStore(async (store) => {
    await assert.rejects(
      updateJsonObject(interfering(store, 5), KEY, () => ({ n: 1 }), {
        maxAttempts: 3,
      }),
      /Failed to update "flags\/update_flags.json" after 3 attempts/,
    );
  });
});
