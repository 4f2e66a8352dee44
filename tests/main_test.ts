import assert from "node:assert/strict";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

Deno.test("main.ts exits naming an invalid setting", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-cron", MAIN],
    env: { API_PORT: "80a", L2_CRON: "off", L3_CRON: "off" },
    stdout: "piped",
    stderr: "piped",
  }).output();

  assert.equal(output.code, 1);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.match(
    stderr,
    /Invalid API_PORT: expected an integer from 1 to 65535, found "80a"/,
  );
});
