import assert from "node:assert/strict";
import { parseCronSchedule } from "../../core/cron.ts";

/** Schedules crontab accepts, each written as crontab(5) defines it. */
const ACCEPTED = [
  "*/5 * * * *",
  "0 0 1 1 *",
  "59 23 31 12 SAT",
  "0-59/15 * * * *",
  "5/15 * * * *",
  "1,2,3 * * * *",
  "1-5,10-20/2 * * * *",
  "10-5/2 * * * *",
  "*/59 */23 */30 */11 */6",
  "0 6 * JAN-MAR *",
  "0 6 * dec-jan *",
  "0 6 * * mon-fri",
  "0 6 * * FRI-MON",
  "0 6 * * SUN,SAT",
  "00 * * * *",
];

/** Schedules Deno.cron 2.9.6 rejects, or with a weekday by number. */
const REJECTED: [schedule: string, message: RegExp][] = [
  ["99 * * * *", /minute "99": 99 is outside 0 to 59/],
  ["60 * * * *", /minute "60": 60 is outside 0 to 59/],
  ["* 24 * * *", /hour "24": 24 is outside 0 to 23/],
  ["* * 0 * *", /day of month "0": 0 is outside 1 to 31/],
  ["* * 32 * *", /day of month "32"/],
  ["* * * 0 *", /month "0": 0 is outside 1 to 12/],
  ["* * * 13 *", /month "13"/],
  ["* * * JANUARY *", /month "JANUARY": expected 1 to 12 or JAN to DEC/],
  ["*/0 * * * *", /minute "\*\/0": expected a step from 1 to 59/],
  ["*/60 * * * *", /minute "\*\/60": expected a step from 1 to 59/],
  ["* */24 * * *", /hour "\*\/24": expected a step from 1 to 23/],
  ["1-60 * * * *", /minute "1-60": 60 is outside 0 to 59/],
  ["1- * * * *", /minute "1-"/],
  [",1 * * * *", /minute ""/],
  ["-5 * * * *", /minute "-5"/],
  ["000 * * * *", /minute "000"/],
  ["L * * * *", /minute "L"/],
  ["? * * * *", /minute "\?"/],
  ["1/2/3 * * * *", /minute "1\/2\/3": more than one '\/'/],
  ["1-2-3 * * * *", /minute "1-2-3": more than one '-'/],
  ["0 0 * * 0", /day of week "0": give days by name/],
  ["0 0 * * 1-5", /day of week "1-5": give days by name/],
  ["* * * *", /expected 5 fields .* found 4/],
  ["0 0 * * * *", /found 6/],
  ["@hourly", /found 1/],
];

Deno.test("parseCronSchedule() accepts crontab schedules", () => {
  for (const schedule of ACCEPTED) {
    assert.equal(parseCronSchedule(schedule), schedule);
  }
  assert.equal(parseCronSchedule(" */5  * * *\t* "), "*/5 * * * *");
});

Deno.test("parseCronSchedule() names the invalid field", () => {
  for (const [schedule, message] of REJECTED) {
    assert.throws(() => parseCronSchedule(schedule), SyntaxError, schedule);
    assert.throws(() => parseCronSchedule(schedule), message, schedule);
  }
});

Deno.test("parseCronSchedule() accepts only what Deno.cron accepts", async () => {
  // Deno.cron itself decides: each accepted schedule must register, and
  // each rejected one with a valid field count and no weekday number
  // must fail, in a child process that has the cron API.
  const denoRejects = REJECTED
    .map(([schedule]) => schedule)
    .filter((schedule) => !/ \S*\d\S*$/.test(schedule.trim()));
  const script = `
    const results = {};
    for (const [i, s] of ${JSON.stringify([...ACCEPTED, ...denoRejects])}
      .entries()) {
      try { Deno.cron("check-" + i, s, () => {}); results[s] = true; }
      catch { results[s] = false; }
    }
    console.log(JSON.stringify(results));
    Deno.exit(0);
  `;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--unstable-cron", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const accepted = JSON.parse(new TextDecoder().decode(output.stdout));
  for (const schedule of ACCEPTED) {
    assert.equal(accepted[schedule], true, `Deno.cron("${schedule}")`);
  }
  assert.ok(denoRejects.length >= 15, `${denoRejects.length} checked`);
  for (const schedule of denoRejects) {
    assert.equal(accepted[schedule], false, `Deno.cron("${schedule}")`);
  }
});
