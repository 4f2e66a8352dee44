/**
 * Entry of `deno task bench`: runs each benchmark section and prints its
 * table. The numbers are a report for people, not a test; they depend on
 * the machine and on what else runs on it.
 *
 * `deno task bench` runs every section; `deno task bench render pipeline`
 * runs only the sections named.
 *
 * To add a section, write `bench/<topic>.ts` exporting an async function
 * that returns a {@linkcode BenchTable}, and add it to `SECTIONS`.
 *
 * @module
 */

import { benchBzip2 } from "./bzip2.ts";
import { benchLevel2 } from "./level2.ts";
import { benchLevel3 } from "./level3.ts";
import { benchOriginalWork, benchPipelinePass } from "./pipeline.ts";
import { benchRender } from "./render.ts";
import { type BenchTable, formatTable } from "./table.ts";

const SECTIONS: Record<string, () => Promise<BenchTable>> = {
  bzip2: benchBzip2,
  level2: benchLevel2,
  level3: benchLevel3,
  render: benchRender,
  pipeline: benchPipelinePass,
  original: benchOriginalWork,
};

const unknown = Deno.args.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
  // deno-lint-ignore no-console
  console.error(
    `Unknown benchmark section "${unknown[0]}": expected one of ${
      Object.keys(SECTIONS).join(", ")
    }`,
  );
  Deno.exit(2);
}

const names = Deno.args.length > 0 ? Deno.args : Object.keys(SECTIONS);
for (const name of names) {
  const table = await SECTIONS[name]();
  // deno-lint-ignore no-console
  console.log(formatTable(table) + "\n");
}
