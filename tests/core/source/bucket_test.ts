import assert from "node:assert/strict";
import {
  openSourceBucket,
  parseListPage,
  SourceError,
} from "../../../core/source/bucket.ts";
import { startArchive } from "../../jobs/_archive.ts";

Deno.test("parseListPage() reads keys, sizes and the next token", () => {
  // Shape of an S3 ListObjectsV2 response (AWS S3 API reference).
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Name>unidata-nexrad-level2</Name><Prefix>2022/03/17/KLOT/</Prefix>
<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
<NextContinuationToken>1a&amp;b</NextContinuationToken>
<Contents><Key>2022/03/17/KLOT/KLOT20220317_000842_V06</Key>
<LastModified>2022-03-17T00:14:40.000Z</LastModified><Size>2661841</Size></Contents>
<Contents><Key>2022/03/17/KLOT/A&amp;B</Key><Size>7</Size></Contents>
</ListBucketResult>`;
  const page = parseListPage(xml);
  assert.deepEqual(page.objects, [
    { key: "2022/03/17/KLOT/KLOT20220317_000842_V06", size: 2661841 },
    { key: "2022/03/17/KLOT/A&B", size: 7 },
  ]);
  assert.equal(page.nextToken, "1a&b");
});

Deno.test("parseListPage() reads the folders of a listing", () => {
  // With delimiter "/", S3 gives each folder once as CommonPrefixes.
  const xml = `<ListBucketResult><Prefix>KLOT/</Prefix><Delimiter>/</Delimiter>
<CommonPrefixes><Prefix>KLOT/1/</Prefix></CommonPrefixes>
<CommonPrefixes><Prefix>KLOT/999/</Prefix></CommonPrefixes>
<IsTruncated>false</IsTruncated></ListBucketResult>`;
  const page = parseListPage(xml);
  assert.deepEqual(page.folders, ["KLOT/1/", "KLOT/999/"]);
  assert.deepEqual(page.objects, []);
});

Deno.test("parseListPage() ends on a page that is not truncated", () => {
  const xml = "<ListBucketResult><IsTruncated>false</IsTruncated>" +
    "<NextContinuationToken>x</NextContinuationToken></ListBucketResult>";
  assert.equal(parseListPage(xml).nextToken, null);
});

Deno.test("openSourceBucket() lists and reads a local S3 server", async () => {
  const archive = await startArchive(["unidata-nexrad-level2"]);
  try {
    const body = new TextEncoder().encode("AR2V0006.");
    await archive.put("unidata-nexrad-level2", "2022/03/17/KLOT/A", body);
    await archive.put("unidata-nexrad-level2", "2022/03/17/KLOT/B", body);
    await archive.put("unidata-nexrad-level2", "2022/03/18/KLOT/C", body);
    const bucket = openSourceBucket("unidata-nexrad-level2", {
      endpoint: archive.endpoint,
    });

    const keys = [];
    for await (const object of bucket.list("2022/03/17/KLOT/")) {
      keys.push(object.key);
      assert.equal(object.size, body.length);
    }
    assert.deepEqual(keys, ["2022/03/17/KLOT/A", "2022/03/17/KLOT/B"]);
    assert.deepEqual(await bucket.get("2022/03/17/KLOT/B"), body);
    // s3rver finds only folders whose objects lie right in them, as the
    // chunk folders' do; S3 itself finds deeper ones too.
    assert.deepEqual(await bucket.folders("2022/03/17/"), [
      "2022/03/17/KLOT/",
    ]);

    await assert.rejects(
      () => bucket.get("2022/03/17/KLOT/missing"),
      (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.equal(error.status, 404);
        assert.match(error.message, /2022\/03\/17\/KLOT\/missing/);
        assert.ok(error.message.includes(` at ${archive.endpoint}`));
        return true;
      },
    );
  } finally {
    await archive.close();
  }
});

Deno.test("openSourceBucket() names why a request failed", async () => {
  // A loopback port that was just free, so the connection is refused.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const bucket = openSourceBucket("unidata-nexrad-level2", {
    endpoint: `http://127.0.0.1:${port}`,
  });
  await assert.rejects(
    bucket.get("2022/03/17/KLOT/A"),
    (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.equal(error.status, null);
      assert.match(
        error.message,
        /^Failed to read s3:\/\/unidata-nexrad-level2/,
      );
      assert.match(error.message, /Connection refused/);
      return true;
    },
  );
});

Deno.test("openSourceBucket() drops a slow download when stopped", async () => {
  // A server on loopback that sends a body's first bytes, then nothing.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new Uint8Array(16));
          },
        }),
      ),
  );
  try {
    const stop = new AbortController();
    const bucket = openSourceBucket("unidata-nexrad-level2", {
      endpoint: `http://127.0.0.1:${server.addr.port}`,
      signal: stop.signal,
    });
    const reason = new DOMException("SIGTERM received", "AbortError");
    const download = bucket.get("2022/03/17/KLOT/A");
    setTimeout(() => stop.abort(reason), 100);
    await assert.rejects(download, (error: unknown) => error === reason);
    // Once stopped, no request starts.
    await assert.rejects(
      bucket.list("2022/03/17/KLOT/")[Symbol.asyncIterator]().next(),
      (error: unknown) => error === reason,
    );
  } finally {
    await server.shutdown();
  }
});
