/**
 * Entry of `deno task bench`: runs each benchmark section and prints its
 * table. The numbers are a report for people, not a test; they depend on
 * the machine and on what else runs on it.
 *
 * To add a section, write `bench/<topic>.ts` exporting an async function
 * that returns a {@linkcode BenchTable}, and append it to `SECTIONS`.
 *
 * @module
 */

import { benchBzip2 } from "./bzip2.ts";
import { benchLevel2 } from "./level2.ts";
import { benchLevel3 } from "./level3.ts";
import { benchOriginalWork, benchPipelinePass } from "./pipeline.ts";
import { benchRender } from "./render.ts";
import { type BenchTable, formatTable } from "./table.ts";

const SECTIONS: (() => Promise<BenchTable>)[] = [
  benchBzip2,
  benchLevel2,
  benchLevel3,
  benchRender,
  benchPipelinePass,
  benchOriginalWork,
];

for (const section of SECTIONS) {
  const table = await section();
  // deno-lint-ignore no-console
  console.log(formatTable(table) + "\n");
}
