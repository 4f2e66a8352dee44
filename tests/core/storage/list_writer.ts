/**
 * A separate process for the concurrency tests: adds `count` entries named
 * `{writer}-{i}` to the JSON object at `key`, one conditional update each.
 *
 * Usage: deno run -A list_writer.ts ROOT KEY WRITER COUNT WRITERS
 *
 * Each writer first creates `ROOT/ready-WRITER` and waits until WRITERS
 * such files exist, so that the writers start together and contend.
 *
 * @module
 */

import { FsStore } from "../../../core/storage/fs_store.ts";
import { updateJsonObject } from "../../../core/storage/update_json.ts";

const [root, key, writer, count, writers] = Deno.args;

await Deno.writeTextFile(`${root}/ready-${writer}`, "");
for (let waited = 0; waited < 30_000; waited += 5) {
  const ready = (await Array.fromAsync(Deno.readDir(root)))
    .filter((entry) => entry.name.startsWith("ready-"));
  if (ready.length >= Number(writers)) break;
  await new Promise((resolve) => setTimeout(resolve, 5));
}

const store = new FsStore(root);
for (let i = 0; i < Number(count); i++) {
  await updateJsonObject(
    store,
    key,
    (current) => ({ ...current, [`${writer}-${i}`]: i }),
    { maxAttempts: 1000 },
  );
}
