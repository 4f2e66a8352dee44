import assert from "node:assert/strict";
import type { CaseReport } from "./malformed_cases.ts";

/**
 * No case may go this long without finishing: the decoder walks every
 * input forward, so a stall means a loop that does not advance. This is a
 * hang guard, far above any real decode time, not a speed check.
 */
const STALL_MS = 60_000;

Deno.test("decodeVolume() survives truncated and corrupted inputs", async () => {
  // About 3,100 damaged inputs (malformed_cases.ts, fixed seed) run in a
  // worker so a hang can be stopped. Each must yield a volume or a
  // DecodeError.
  const worker = new Worker(
    new URL("./malformed_cases.ts", import.meta.url),
    { type: "module" },
  );
  const failures: string[] = [];
  let count = 0;
  let last = "start-up";
  try {
    await new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          reject(new Error(`No progress for ${STALL_MS} ms after ${last}`));
        }, STALL_MS);
      };
      arm();
      worker.onerror = (event) => {
        clearTimeout(timer);
        event.preventDefault();
        reject(new Error(`Worker failed after ${last}: ${event.message}`));
      };
      worker.onmessage = (event: MessageEvent<CaseReport>) => {
        const report = event.data;
        count++;
        last = report.label;
        if (report.outcome !== "volume" && report.outcome !== "decode-error") {
          failures.push(`${report.label}: ${report.outcome}`);
        }
        if (report.done) {
          clearTimeout(timer);
          resolve();
        } else {
          arm();
        }
      };
    });
  } finally {
    worker.terminate();
  }
  assert.ok(count > 3000, `only ${count} cases ran`);
  assert.deepEqual(failures, []);
});
