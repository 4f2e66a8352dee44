import assert from "node:assert/strict";
import { S3Store } from "../../../core/storage/s3_store.ts";
import { StorageError } from "../../../core/storage/store.ts";
import { updateJsonObject } from "../../../core/storage/update_json.ts";
import { startConditionalS3 } from "./conditional_s3.ts";
import { type Fault, startFaultyProxy } from "./faulty_proxy.ts";
import { startS3rver } from "./s3rver.ts";

const BUCKET = "nexrad-test";
const JSON_TYPE = { contentType: "application/json" };
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Adds `count` entries per store, all stores at once, one update each. */
async function addEntries(stores: S3Store[], key: string, count: number) {
  await Promise.all(
    stores.flatMap((store, writer) =>
      Array.from({ length: count }, (_, i) =>
        updateJsonObject(
          store,
          key,
          (list) => ({ ...list, [`${writer}-${i}`]: i }),
          { maxAttempts: 1000 },
        ))
    ),
  );
}

Deno.test("S3Store against s3rver", async (t) => {
  const server = await startS3rver([BUCKET]);
  const store = new S3Store({
    bucket: BUCKET,
    region: "us-east-1",
    endpoint: server.endpoint,
    credentials: server.credentials,
  });

  try {
    await t.step("get() returns null for a missing key", async () => {
      assert.equal(await store.get("lists/missing.json"), null);
    });

    await t.step("put() and get() round-trip bytes", async () => {
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
      await store.put("plots_level2/a_idx0.png", png, {
        contentType: "image/png",
      });
      const stored = await store.get("plots_level2/a_idx0.png");
      assert.deepEqual(stored!.body, png);
      assert.match(stored!.etag, /^".+"$/);
      assert.ok(stored!.lastModified instanceof Date);
    });

    await t.step("list() returns keys under a prefix in order", async () => {
      for (const name of ["c", "b", "a"]) {
        await store.put(`plots_level3/${name}.json`, encode("{}"), JSON_TYPE);
      }
      const keys = (await Array.fromAsync(store.list("plots_level3/")))
        .map((info) => info.key);
      assert.deepEqual(keys, [
        "plots_level3/a.json",
        "plots_level3/b.json",
        "plots_level3/c.json",
      ]);
    });

    await t.step("delete() removes keys and ignores missing ones", async () => {
      await store.delete(["plots_level3/a.json", "plots_level3/none.json"]);
      assert.equal(await store.get("plots_level3/a.json"), null);
      assert.notEqual(await store.get("plots_level3/b.json"), null);
    });

    await t.step(
      "a missing bucket is an error, not a missing key",
      async () => {
        const misconfigured = new S3Store({
          bucket: "no-such-bucket",
          region: "us-east-1",
          endpoint: server.endpoint,
          credentials: server.credentials,
        });
        try {
          await assert.rejects(
            misconfigured.get("lists/x.json"),
            (error: Error) =>
              error instanceof StorageError &&
              error.message.includes("no-such-bucket"),
          );
        } finally {
          misconfigured.close();
        }
      },
    );

    await t.step("rejects unsafe keys", async () => {
      await assert.rejects(store.get("../x"), TypeError);
      await assert.rejects(store.put("/x", encode(""), JSON_TYPE), TypeError);
      await assert.rejects(store.delete(["a/../b"]), TypeError);
    });

    await t.step("probe finds that s3rver ignores If-Match", async () => {
      assert.equal(await store.probeConditionalWrites(), false);
      assert.equal(await store.get("probes/conditional-writes.txt"), null);
    });

    await t.step("putIfMatch() compares ETags in the fallback", async () => {
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
        await store.putIfMatch(key, encode("3"), etag, JSON_TYPE),
        true,
      );
      assert.equal(
        await store.putIfMatch(key, encode("4"), etag, JSON_TYPE),
        false,
      );
      assert.equal(decode((await store.get(key))!.body), "3");
    });

    await t.step("fallback loses no update within a process", async () => {
      // A second instance, as main.ts and the jobs each create one.
      const other = new S3Store({
        bucket: BUCKET,
        region: "us-east-1",
        endpoint: server.endpoint,
        credentials: server.credentials,
      });
      const key = "lists/nexrad_level2_reflectivity_files.json";
      try {
        await addEntries([store, other], key, 15);
      } finally {
        other.close();
      }
      const list = JSON.parse(decode((await store.get(key))!.body));
      assert.equal(Object.keys(list).length, 30);
    });
  } finally {
    store.close();
    await server.close();
  }
});

Deno.test("S3Store with If-Match support", async (t) => {
  const server = startConditionalS3(BUCKET);
  // Two stores stand for two processes: each has its own client and its
  // own queue, so only the server's conditions keep them apart.
  const stores = [0, 1].map(() =>
    new S3Store({
      bucket: BUCKET,
      region: "us-east-1",
      endpoint: server.endpoint,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      listPageSize: 2,
    })
  );

  try {
    await t.step("probe finds conditional writes", async () => {
      assert.equal(await stores[0].probeConditionalWrites(), true);
      assert.equal(await stores[1].probeConditionalWrites(), true);
    });

    await t.step("putIfMatch() maps 412 and 404 to false", async () => {
      const [store] = stores;
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
        await store.putIfMatch(key, encode("3"), etag, JSON_TYPE),
        true,
      );
      assert.equal(
        await store.putIfMatch(key, encode("4"), etag, JSON_TYPE),
        false,
      );
      assert.equal(
        await store.putIfMatch("flags/none.json", encode("5"), etag, JSON_TYPE),
        false,
      );
      assert.equal(decode((await store.get(key))!.body), "3");
    });

    await t.step("list() pages through keys in order", async () => {
      const [store] = stores;
      for (const name of ["c", "b", "a", "d", "e"]) {
        await store.put(`plots_level2/${name}.png`, encode("x"), JSON_TYPE);
      }
      const keys = (await Array.fromAsync(store.list("plots_level2/")))
        .map((info) => info.key);
      // Five keys in pages of two: three ListObjectsV2 calls.
      assert.deepEqual(keys, [
        "plots_level2/a.png",
        "plots_level2/b.png",
        "plots_level2/c.png",
        "plots_level2/d.png",
        "plots_level2/e.png",
      ]);
    });

    await t.step("delete() sends at most 1,000 keys a request", async () => {
      const [store] = stores;
      await store.put("plots_level2/kept.png", encode("x"), JSON_TYPE);
      await store.put("plots_level2/gone.png", encode("x"), JSON_TYPE);
      const keys = Array.from({ length: 2499 }, (_, i) => `old/${i}.png`);
      keys.push("plots_level2/gone.png");

      server.deleteBatches.length = 0;
      await store.delete(keys);
      // The S3 limit per DeleteObjects request is 1,000 keys.
      assert.deepEqual(server.deleteBatches, [1000, 1000, 500]);
      assert.equal(await store.get("plots_level2/gone.png"), null);
      assert.notEqual(await store.get("plots_level2/kept.png"), null);
    });

    await t.step("two stores lose no update", async () => {
      const key = "lists/nexrad_level3_hydrometeor_files.json";
      const rejectedBefore = server.rejectedWrites();
      await addEntries(stores, key, 15);
      const list = JSON.parse(decode((await stores[0].get(key))!.body));
      assert.equal(Object.keys(list).length, 30);
      // The writers did collide, and the server's 412s resolved it.
      assert.ok(server.rejectedWrites() > rejectedBefore);
    });
  } finally {
    stores.forEach((store) => store.close());
    await server.close();
  }
});

Deno.test("S3Store retries transient failures", async (t) => {
  const server = startConditionalS3(BUCKET);
  const proxy = startFaultyProxy(server.endpoint);
  const store = new S3Store({
    bucket: BUCKET,
    region: "us-east-1",
    endpoint: proxy.endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 3,
    retryBaseDelayMs: 1,
  });
  const key = "lists/nexrad_level2_velocity_files.json";
  const body = encode(JSON.stringify({ a: 1, padding: "x".repeat(4000) }));

  /** Runs `call` with `faults` queued; returns the requests it made. */
  async function withFaults(faults: Fault[], call: () => Promise<unknown>) {
    proxy.faults.push(...faults);
    const before = proxy.requests();
    await call();
    assert.equal(proxy.faults.length, 0, "every fault was used");
    return proxy.requests() - before;
  }

  try {
    await t.step("put() retries 503 SlowDown and 500", async () => {
      const requests = await withFaults(
        [
          { kind: "status", status: 503, code: "SlowDown" },
          { kind: "status", status: 500, code: "InternalError" },
        ],
        () => store.put(key, body, JSON_TYPE),
      );
      assert.equal(requests, 3);
    });

    await t.step("get() retries a body cut off mid-way", async () => {
      let stored;
      const requests = await withFaults(
        [{ kind: "cut" }],
        async () => stored = await store.get(key),
      );
      assert.equal(requests, 2);
      assert.deepEqual(stored!.body, body);
    });

    await t.step("list() and delete() retry 503", async () => {
      const slowDown: Fault = { kind: "status", status: 503, code: "SlowDown" };
      let keys: string[] = [];
      const listed = await withFaults([slowDown], async () => {
        keys = (await Array.fromAsync(store.list("lists/"))).map((i) => i.key);
      });
      assert.equal(listed, 2);
      assert.deepEqual(keys, [key]);
      const deleted = await withFaults([slowDown], () => store.delete([key]));
      assert.equal(deleted, 2);
      assert.equal(await store.get(key), null);
    });

    await t.step("gives up after maxAttempts", async () => {
      const cut: Fault = { kind: "cut" };
      await store.put(key, body, JSON_TYPE);
      proxy.faults.push(cut, cut, cut);
      const before = proxy.requests();
      await assert.rejects(
        store.get(key),
        (error: Error) =>
          error instanceof StorageError &&
          error.message.startsWith(`Failed to read "${key}"`),
      );
      assert.equal(proxy.requests() - before, 3);
    });

    await t.step("does not retry a real failure", async () => {
      const denied: Fault = {
        kind: "status",
        status: 403,
        code: "AccessDenied",
      };
      proxy.faults.push(denied);
      const before = proxy.requests();
      await assert.rejects(
        store.put(key, body, JSON_TYPE),
        (error: Error) =>
          error instanceof StorageError && /AccessDenied|Injected/.test(
            error.message,
          ),
      );
      assert.equal(proxy.requests() - before, 1);
    });
  } finally {
    proxy.faults.length = 0;
    store.close();
    await proxy.close();
    await server.close();
  }
});

Deno.test("S3Store rereads a half-written object in the fallback", async () => {
  // A server that ignores conditions and serves an object half-written,
  // with a consistent length: only the ETag (the body's MD5) shows it.
  const server = startConditionalS3(BUCKET);
  const proxy = startFaultyProxy(server.endpoint, {
    ignoreConditions: true,
    md5Etags: true,
  });
  const store = new S3Store({
    bucket: BUCKET,
    region: "us-east-1",
    endpoint: proxy.endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 2,
    retryBaseDelayMs: 1,
  });
  const key = "flags/update_flags.json";
  const body = encode(JSON.stringify({ updates: { reflectivity: 1 } }));
  try {
    assert.equal(await store.probeConditionalWrites(), false);
    await store.put(key, body, JSON_TYPE);

    proxy.faults.push({ kind: "half" });
    const before = proxy.requests();
    assert.deepEqual((await store.get(key))!.body, body);
    assert.equal(proxy.requests() - before, 2);

    proxy.faults.push({ kind: "half" }, { kind: "half" });
    await assert.rejects(
      store.get(key),
      (error: Error) =>
        error instanceof StorageError &&
        /Failed to read .*does not match ETag/.test(error.message),
    );
  } finally {
    proxy.faults.length = 0;
    store.close();
    await proxy.close();
    await server.close();
  }
});
