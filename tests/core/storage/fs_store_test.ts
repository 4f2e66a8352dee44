import assert from "node:assert/strict";
import { FsStore } from "../../../core/storage/fs_store.ts";
import { updateJsonObject } from "../../../core/storage/update_json.ts";

const JSON_TYPE = { contentType: "application/json" };
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function withStore(
  test: (store: FsStore, root: string) => Promise<void>,
) {
  const root = await Deno.makeTempDir({ prefix: "fs_store_" });
  try {
    await test(new FsStore(root), root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Names of all files under `folder`, dot-files included, relative to it. */
async function allFiles(folder: string, base = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${folder}/${base}`)) {
    const name = base + entry.name;
    if (entry.isDirectory) names.push(...await allFiles(folder, `${name}/`));
    else names.push(name);
  }
  return names.sort();
}

Deno.test("FsStore.get() returns null for a missing key", async () => {
  await withStore(async (store) => {
    assert.equal(await store.get("lists/missing.json"), null);
  });
});

Deno.test("FsStore.put() round-trips bytes with a stable ETag", async () => {
  await withStore(async (store, root) => {
    await store.put("plots_level2/a.json", encode('{"a":1}'), JSON_TYPE);
    const first = await store.get("plots_level2/a.json");
    assert.equal(decode(first!.body), '{"a":1}');
    assert.match(first!.etag, /^"[0-9a-f]{32}"$/);
    assert.equal(
      decode(await Deno.readFile(`${root}/plots_level2/a.json`)),
      '{"a":1}',
    );

    const again = await store.get("plots_level2/a.json");
    assert.equal(again!.etag, first!.etag);

    await store.put("plots_level2/a.json", encode('{"a":2}'), JSON_TYPE);
    const changed = await store.get("plots_level2/a.json");
    assert.notEqual(changed!.etag, first!.etag);
  });
});

Deno.test("FsStore rejects unsafe keys before touching the disk", async () => {
  await withStore(async (store, root) => {
    for (
      const key of ["../escape.json", "/tmp/x", "a\\b", "a/../../b", "a\0b"]
    ) {
      await assert.rejects(store.get(key), TypeError, key);
      await assert.rejects(store.put(key, encode("x"), JSON_TYPE), TypeError);
      await assert.rejects(
        store.putIfMatch(key, encode("x"), null, JSON_TYPE),
        TypeError,
      );
      await assert.rejects(store.delete([key]), TypeError);
    }
    assert.deepEqual(await allFiles(root), []);
  });
});

Deno.test("FsStore.put() leaves no temporary files", async () => {
  await withStore(async (store, root) => {
    for (let i = 0; i < 5; i++) {
      await store.put("lists/x.json", encode(`{"i":${i}}`), JSON_TYPE);
    }
    assert.deepEqual(await allFiles(root), ["lists/x.json"]);
  });
});

Deno.test("FsStore.removeAbandoned() removes old temporary files", async () => {
  await withStore(async (store, root) => {
    // Temporary files as a write killed before its rename leaves them:
    // one from two hours ago, one being written now.
    await store.put("plots_level2/a.png", encode("png"), JSON_TYPE);
    const old = `plots_level2/.a.png.${crypto.randomUUID()}.tmp`;
    const fresh = `lists/.x.json.${crypto.randomUUID()}.tmp`;
    await Deno.mkdir(`${root}/lists`);
    for (const name of [old, fresh, "plots_level2/.notes.tmp"]) {
      await Deno.writeTextFile(`${root}/${name}`, "part");
    }
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await Deno.utime(`${root}/${old}`, twoHoursAgo, twoHoursAgo);
    await Deno.utime(
      `${root}/plots_level2/.notes.tmp`,
      twoHoursAgo,
      twoHoursAgo,
    );

    // No key lies in a dot-folder, so its files are not the store's.
    const foreign = `.snapshot/.a.png.${crypto.randomUUID()}.tmp`;
    await Deno.mkdir(`${root}/.snapshot`);
    await Deno.writeTextFile(`${root}/${foreign}`, "part");
    await Deno.utime(`${root}/${foreign}`, twoHoursAgo, twoHoursAgo);

    const removed = await store.removeAbandoned(
      new Date(Date.now() - 3600_000),
    );
    assert.equal(removed, 1);
    assert.deepEqual(await allFiles(root), [
      foreign,
      fresh,
      "plots_level2/.notes.tmp",
      "plots_level2/a.png",
    ]);
  });
});

Deno.test("FsStore.removeAbandoned() passes over a missing folder", async () => {
  await withStore(async (_, root) => {
    const missing = new FsStore(`${root}/missing`);
    assert.equal(await missing.removeAbandoned(new Date()), 0);
    await Deno.writeTextFile(`${root}/file`, "");
    const file = new FsStore(`${root}/file`);
    assert.equal(await file.removeAbandoned(new Date()), 0);
  });
});

Deno.test("FsStore.put() never exposes a partial object", async () => {
  await withStore(async (store) => {
    // Two bodies of different sizes, each one repeated byte: a reader that
    // catches a write half-done sees a mix or a short file.
    const bodies = [
      new Uint8Array(3 << 20).fill(0x41),
      new Uint8Array(1 << 20).fill(0x42),
    ];
    await store.put("plots_level2/big.png", bodies[0], JSON_TYPE);

    let writing = true;
    const writer = (async () => {
      for (let i = 1; i <= 20; i++) {
        await store.put("plots_level2/big.png", bodies[i % 2], JSON_TYPE);
      }
      writing = false;
    })();

    let reads = 0;
    while (writing) {
      const { body } = (await store.get("plots_level2/big.png"))!;
      const whole = body.length === bodies[0].length
        ? body.every((byte) => byte === 0x41)
        : body.length === bodies[1].length && body.every((b) => b === 0x42);
      assert.ok(whole, `read ${reads} saw ${body.length} mixed bytes`);
      reads++;
    }
    await writer;
    assert.ok(reads > 0);
  });
});

Deno.test("FsStore.putIfMatch() writes only on a matching ETag", async () => {
  await withStore(async (store) => {
    const key = "flags/update_flags.json";
    assert.equal(
      await store.putIfMatch(key, encode("1"), null, JSON_TYPE),
      true,
    );
    assert.equal(
      await store.putIfMatch(key, encode("2"), null, JSON_TYPE),
      false,
    );

    const { etag } = (await store.get(key))!;
    assert.equal(
      await store.putIfMatch(key, encode("3"), '"0"', JSON_TYPE),
      false,
    );
    assert.equal(
      await store.putIfMatch(key, encode("3"), etag, JSON_TYPE),
      true,
    );
    assert.equal(
      await store.putIfMatch(key, encode("4"), etag, JSON_TYPE),
      false,
    );
    assert.equal(decode((await store.get(key))!.body), "3");
  });
});

Deno.test("FsStore.list() returns keys under a prefix in order", async () => {
  await withStore(async (store) => {
    for (
      const key of [
        "plots_level2/B_idx0.png",
        "plots_level2/A_idx1.png",
        "plots_level2/A_idx0.png",
        "plots_level3/A_idx0.png",
        "lists/x.json",
      ]
    ) {
      await store.put(key, encode("xy"), JSON_TYPE);
    }
    // A conditional write creates a lock file, which must not be listed.
    await store.putIfMatch("lists/y.json", encode("{}"), null, JSON_TYPE);

    const level2 = await Array.fromAsync(store.list("plots_level2/"));
    assert.deepEqual(level2.map((info) => info.key), [
      "plots_level2/A_idx0.png",
      "plots_level2/A_idx1.png",
      "plots_level2/B_idx0.png",
    ]);
    assert.equal(level2[0].size, 2);
    assert.ok(level2[0].lastModified instanceof Date);

    const partial = await Array.fromAsync(store.list("plots_level2/A"));
    assert.equal(partial.length, 2);
    const all = await Array.fromAsync(store.list(""));
    assert.equal(all.length, 6);
    assert.deepEqual(await Array.fromAsync(store.list("nothing/")), []);
  });
});

Deno.test("FsStore.delete() ignores missing keys", async () => {
  await withStore(async (store) => {
    await store.put("plots_level2/a.png", encode("x"), JSON_TYPE);
    await store.delete(["plots_level2/a.png", "plots_level2/never.png"]);
    assert.equal(await store.get("plots_level2/a.png"), null);
  });
});

Deno.test("updateJsonObject() loses no update within a process", async () => {
  await withStore(async (store, root) => {
    const key = "lists/nexrad_level2_reflectivity_files.json";
    // A second instance on the same folder has its own file handles, as a
    // second program would; both take the same lock file.
    const stores = [store, new FsStore(root)];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        updateJsonObject(
          stores[i % 2],
          key,
          (list) => ({ ...list, [`entry-${i}`]: { sweeps: i + 1 } }),
          { maxAttempts: 1000 },
        )),
    );
    const list = JSON.parse(decode((await store.get(key))!.body));
    assert.equal(Object.keys(list).length, 30);
  });
});

Deno.test("updateJsonObject() loses no update across processes", async () => {
  await withStore(async (store, root) => {
    const key = "lists/nexrad_level3_hydrometeor_files.json";
    const count = 100;
    const script = new URL("./list_writer.ts", import.meta.url).pathname;
    const writers = ["a", "b"].map((writer) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", script, root, key, writer, String(count), "2"],
        stdout: "piped",
        stderr: "piped",
      }).output()
    );

    for (const output of await Promise.all(writers)) {
      assert.equal(output.code, 0, decode(output.stderr));
    }
    const list = JSON.parse(decode((await store.get(key))!.body));
    assert.equal(Object.keys(list).length, 2 * count);
    for (let i = 0; i < count; i++) {
      assert.equal(list[`a-${i}`], i);
      assert.equal(list[`b-${i}`], i);
    }
  });
});
