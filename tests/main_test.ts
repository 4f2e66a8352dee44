import assert from "node:assert/strict";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** Maximum wait for main.ts to exit; a server that starts would not. */
const EXIT_TIMEOUT_MS = 60_000;

/** Runs main.ts with `env` and returns its exit code and output. */
async function runMain(env: Record<string, string>) {
  const dataDir = await Deno.makeTempDir();
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-cron", MAIN],
      env: { L2_CRON: "off", L3_CRON: "off", DATA_DIR: dataDir, ...env },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(EXIT_TIMEOUT_MS),
    }).output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      output: decoder.decode(output.stdout) + decoder.decode(output.stderr),
    };
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

Deno.test("main.ts exits naming an invalid setting", async () => {
  const { code, output } = await runMain({ API_PORT: "80a" });
  assert.equal(code, 1);
  assert.match(
    output,
    /Invalid API_PORT: expected an integer from 1 to 65535, found "80a"/,
  );
});

Deno.test("main.ts rejects settings before serving", async () => {
  // Each of these once started the server or failed with a stack trace.
  const cases: [Record<string, string>, RegExp][] = [
    [{ L2_CRON: "99 * * * *" }, /Invalid L2_CRON: .*minute "99"/],
    [{ L3_CRON: "0 0 * 13 *" }, /Invalid L3_CRON: .*month "13"/],
    [{ JOB_WORKERS: "0" }, /Invalid JOB_WORKERS: .*found "0"/],
    [{ API_HOST: "999.1.1.1" }, /Invalid API_HOST: .*found "999.1.1.1"/],
  ];
  for (const [env, message] of cases) {
    const { code, output } = await runMain(env);
    const where = JSON.stringify(env);
    assert.equal(code, 1, `exit code for ${where}`);
    assert.match(output, message, where);
    assert.doesNotMatch(output, /Uncaught|Listening on/, where);
  }
});

Deno.test("main.ts exits when the port is in use", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  // Sites missing from the site table are warned of, not rejected.
  const { code, output } = await runMain({
    API_HOST: "127.0.0.1",
    API_PORT: String(port),
    RADAR_SITE_L2: "KTLX,KXYZ",
    RADAR_SITE_L3: "PDT,QQQ",
  });
  assert.match(output, /RADAR_SITE_L2: KXYZ not in the radar site table/);
  assert.match(output, /RADAR_SITE_L3: QQQ not in the radar site table/);
  assert.equal(code, 1);
  assert.match(
    output,
    new RegExp(`Cannot listen on API_HOST=127.0.0.1 API_PORT=${port}: `),
  );
  assert.match(output, /Address already in use/);
  assert.doesNotMatch(output, /Uncaught/);
});

Deno.test("main.ts stops on SIGTERM once its responses end", async () => {
  const dataDir = await Deno.makeTempDir();
  // A 32 MB image, read slowly: the stop waits for its response.
  const stem = "KPDT20250321_010412_V06_reflectivity_idx0";
  await Deno.mkdir(`${dataDir}/plots_level2`);
  await Deno.writeFile(
    `${dataDir}/plots_level2/${stem}.png`,
    new Uint8Array(32 << 20),
  );
  const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = free.addr;
  free.close();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-cron", MAIN],
    env: {
      L2_CRON: "off",
      L3_CRON: "off",
      DATA_DIR: dataDir,
      API_HOST: "127.0.0.1",
      API_PORT: String(port),
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), EXIT_TIMEOUT_MS);
  try {
    const lines = child.stdout.pipeThrough(new TextDecoderStream())
      .values();
    let output = "";
    while (!output.includes("Listening on")) {
      const { value, done } = await lines.next();
      assert.ok(!done, `exited before serving: ${output}`);
      output += value;
    }
    const image = await fetch(`http://127.0.0.1:${port}/data/2/${stem}/png`);
    assert.equal(image.status, 200);

    // Twice, as systemd signals the process group, which contains
    // `deno task` too, and it passes the signal on: one stop.
    let exited = false;
    const status = child.status.finally(() => exited = true);
    child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(!exited, "exited before its response ended");
    assert.equal((await image.arrayBuffer()).byteLength, 32 << 20);

    for await (const chunk of lines) output += chunk;
    assert.equal((await status).code, 0, output);
    assert.match(output, /SIGTERM: stopping after the open requests/);
    assert.match(output, /Stopped/);
    await child.stderr.cancel();
  } finally {
    clearTimeout(timer);
    await Deno.remove(dataDir, { recursive: true });
  }
});
