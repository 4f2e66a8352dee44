import assert from "node:assert/strict";

// Runs `jobs/cli.ts` as `deno task l2` does, on copies of a real volume
// (KTLX20170101_030027_V06, VCP 32) made into three volumes of one site
// by rewriting the volume start in their headers. From
// expected/level2/KTLX20170101_030027_V06.json the volume has 5 distinct
// elevations, each carrying reflectivity and velocity, so each volume
// lists 5 sweeps of both products.

const CLI = new URL("../../jobs/cli.ts", import.meta.url).pathname;
const VOLUME = new URL(
  "../../../shared/data/nexrad/level2/KTLX20170101_030027_V06",
  import.meta.url,
).pathname;
const PREFIXES = [
  "KTLX20170101_030027_V06",
  "KTLX20170101_031004_V06",
  "KTLX20170101_031541_V06",
];

/**
 * Writes the volume with the start time of each prefix: the volume header
 * (ICD 2620010, 7.3.3) stores the milliseconds after midnight as a 4-byte
 * big-endian integer at byte 16. The file names say nothing of the time.
 */
async function copies(folder: string): Promise<string[]> {
  const bytes = await Deno.readFile(VOLUME);
  const paths: string[] = [];
  for (const [k, prefix] of PREFIXES.entries()) {
    const [h, m, s] = [13, 15, 17].map((i) => Number(prefix.slice(i, i + 2)));
    const copy = bytes.slice();
    new DataView(copy.buffer).setInt32(16, ((h * 60 + m) * 60 + s) * 1000);
    paths.push(`${folder}/volume_${k}.ar2v`);
    await Deno.writeFile(paths[k], copy);
  }
  return paths;
}

function cli(dataDir: string, files: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "l2", "--file", ...files],
    env: {
      DATA_DIR: dataDir,
      JOB_WORKERS: "1",
      RENDER_RESOLUTION_M: "3000",
      LOG_LEVEL: "info",
    },
    stdout: "piped",
    stderr: "piped",
  });
}

/**
 * Starts the CLI on `files` and returns once the first image is on disk,
 * while the pass is storing objects and before it has listed everything,
 * or once the process has ended (`exited`).
 */
async function runUntilFirstImage(dataDir: string, files: string[]) {
  const child = cli(dataDir, files).spawn();
  let exited = false;
  const output = child.output().finally(() => exited = true);
  while (!exited) {
    const entries = await Array.fromAsync(
      Deno.readDir(`${dataDir}/plots_level2`),
    ).catch(() => []);
    if (entries.some((entry) => entry.name.endsWith(".png"))) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { child, output, exited };
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
}

/** Asserts that every list entry names PNG and JSON objects that exist. */
async function assertListsComplete(dataDir: string): Promise<void> {
  for (const product of ["reflectivity", "velocity"]) {
    const list = await readJson(
      `${dataDir}/lists/nexrad_level2_${product}_files.json`,
    ) as Record<string, { sweeps: number }>;
    for (const [prefix, { sweeps }] of Object.entries(list)) {
      for (let k = 0; k < sweeps; k++) {
        for (const extension of ["png", "json"]) {
          const path =
            `${dataDir}/plots_level2/${prefix}_${product}_idx${k}.${extension}`;
          await Deno.stat(path); // throws NotFound
        }
      }
    }
  }
}

Deno.test("deno task l2 --file publishes local volumes", async () => {
  const folder = await Deno.makeTempDir({ prefix: "cli_test_" });
  try {
    const files = await copies(folder);
    const output = await cli(`${folder}/data`, files).output();
    const log = new TextDecoder().decode(output.stdout) +
      new TextDecoder().decode(output.stderr);
    assert.ok(output.success, log);
    // One progress line per volume and one summary line.
    for (const prefix of PREFIXES) {
      assert.match(
        log,
        new RegExp(`level2 ${prefix}: reflectivity=5 velocity=5, rendered in `),
      );
    }
    assert.match(
      log,
      /level2 pass files=3: found=3 listed=0 skipped=0 published=3 failed=0/,
    );

    const expected = Object.fromEntries(
      PREFIXES.map((p) => [p, { sweeps: 5 }]),
    );
    for (const product of ["reflectivity", "velocity"]) {
      const list = await readJson(
        `${folder}/data/lists/nexrad_level2_${product}_files.json`,
      );
      assert.deepEqual(list, expected, product);
    }
    await assertListsComplete(`${folder}/data`);
    // The legends of the two tables the pass drew with.
    for (const table of ["REF", "VEL"]) {
      for (const extension of ["png", "json"]) {
        await Deno.stat(`${folder}/data/legends/${table}.${extension}`);
      }
    }
    const metadata = await readJson(
      `${folder}/data/plots_level2/${PREFIXES[0]}_reflectivity_idx1.json`,
    );
    // Fixed angle of the second elevation of VCP 32 (expected/ file).
    assert.ok(
      Math.abs((metadata.elevation_angle_degrees as number) - 1.494141) < 0.001,
    );
    assert.equal(metadata.elevation_index, 2);
    assert.equal(metadata.original_sweep_number, 3);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("deno task l2 finishes a pass killed half-way", async () => {
  const folder = await Deno.makeTempDir({ prefix: "cli_test_" });
  const dataDir = `${folder}/data`;
  try {
    const files = await copies(folder);
    const { child, output, exited } = await runUntilFirstImage(
      dataDir,
      files,
    );
    if (!exited) child.kill("SIGKILL");
    const killed = await output;
    assert.equal(killed.signal, "SIGKILL", "the pass ended before the kill");
    await assertListsComplete(dataDir);

    const rerun = await cli(dataDir, files).output();
    assert.ok(rerun.success, new TextDecoder().decode(rerun.stderr));
    await assertListsComplete(dataDir);
    const expected = Object.fromEntries(
      PREFIXES.map((p) => [p, { sweeps: 5 }]),
    );
    for (const product of ["reflectivity", "velocity"]) {
      const list = await readJson(
        `${dataDir}/lists/nexrad_level2_${product}_files.json`,
      );
      assert.deepEqual(list, expected, product);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("deno task l2 stops on Ctrl-C between steps", async () => {
  const folder = await Deno.makeTempDir({ prefix: "cli_test_" });
  const dataDir = `${folder}/data`;
  try {
    const files = await copies(folder);
    const { child, output, exited } = await runUntilFirstImage(
      dataDir,
      files,
    );
    assert.ok(!exited, "the pass ended before the interrupt");
    // Twice, as a terminal's Ctrl-C reaches this process, and `deno task`
    // passes it on: one stop.
    child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGINT");
    const stopped = await output;
    const log = new TextDecoder().decode(stopped.stdout) +
      new TextDecoder().decode(stopped.stderr);
    assert.equal(stopped.code, 130, log);
    assert.match(log, /level2 pass files=3 stopped after [\d.]+ s: SIGINT/);
    await assertListsComplete(dataDir);
    // The step under way was finished: no temporary file is left.
    const names = await Array.fromAsync(
      Deno.readDir(`${dataDir}/plots_level2`),
    );
    assert.ok(!names.some((entry) => entry.name.endsWith(".tmp")));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("deno task l2 fails on a bad file, not on a later good one", async () => {
  const folder = await Deno.makeTempDir({ prefix: "cli_test_" });
  const dataDir = `${folder}/data`;
  try {
    // A volume header (24 bytes, ICD 2620010 section 7) followed by bytes
    // that are no LDM record: a 4-byte size larger than the file.
    const path = `${folder}/volume.ar2v`;
    const bytes = new Uint8Array(64);
    bytes.set(new TextEncoder().encode("AR2V0006.001"));
    new DataView(bytes.buffer).setInt32(24, 100_000);
    await Deno.writeFile(path, bytes);
    const empty = `${folder}/empty`;
    await Deno.writeFile(empty, new Uint8Array());

    // Bad bytes, an empty file, a folder without files and a missing
    // path: each fails, the pass goes on and the exit status is 1.
    const emptyFolder = `${folder}/nothing`;
    await Deno.mkdir(emptyFolder);
    const failed = await cli(dataDir, [
      path,
      empty,
      emptyFolder,
      `${folder}/no`,
    ])
      .output();
    const log = new TextDecoder().decode(failed.stdout) +
      new TextDecoder().decode(failed.stderr);
    assert.equal(failed.code, 1, log);
    assert.match(log, /ERROR level2 key=\S+volume\.ar2v/);
    assert.match(log, /published=0 failed=2 errors=2 .*; 4 items failed/);
    const records = await readJson(
      `${dataDir}/failures/nexrad_level2_reflectivity_failures.json`,
    );
    assert.deepEqual(records, {});

    // The good volume under the same name is published.
    await Deno.copyFile(VOLUME, path);
    const good = await cli(dataDir, [path]).output();
    assert.equal(good.code, 0, new TextDecoder().decode(good.stderr));
    const list = await readJson(
      `${dataDir}/lists/nexrad_level2_reflectivity_files.json`,
    );
    assert.deepEqual(list, { KTLX20170101_030027_V06: { sweeps: 5 } });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("deno task l2 --file publishes a chunk folder as one volume", async () => {
  // The 43 real-time chunks of KLOT_20190617_181704_V06. From
  // expected/level2/KLOT_20190617_181704_V06.json: volume header KLOT,
  // AR2V0006, volume start 18:17:04, and 8 sweeps at 5 distinct fixed
  // angles (0.48 to 4.48 degrees), each angle carrying reflectivity and
  // velocity.
  const set = new URL(
    "../../../shared/data/nexrad/level2/chunks/KLOT_20190617_181704_V06/",
    import.meta.url,
  ).pathname;
  const folder = await Deno.makeTempDir({ prefix: "cli_test_" });
  try {
    // The folder stands for its 43 files.
    const output = await cli(`${folder}/data`, [set]).output();
    const log = new TextDecoder().decode(output.stdout) +
      new TextDecoder().decode(output.stderr);
    assert.ok(output.success, log);
    assert.match(
      log,
      /level2 KLOT20190617_181704_V06: reflectivity=5 velocity=5, rendered/,
    );
    assert.match(log, /pass files=43: found=1 listed=0 skipped=0 published=1/);
    for (const product of ["reflectivity", "velocity"]) {
      const list = await readJson(
        `${folder}/data/lists/nexrad_level2_${product}_files.json`,
      );
      assert.deepEqual(list, { KLOT20190617_181704_V06: { sweeps: 5 } });
    }
    await assertListsComplete(`${folder}/data`);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("deno task l2 --help prints the usage", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const help = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "l2", "--help"],
      env: { DATA_DIR: dataDir },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(help.code, 0);
    assert.match(new TextDecoder().decode(help.stdout), /^Usage: deno task l2/);

    // After "--", --help names a file, which does not exist.
    const file = await cli(dataDir, ["missing.ar2v", "--", "--help"]).output();
    assert.equal(file.code, 1);
    assert.doesNotMatch(new TextDecoder().decode(file.stdout), /Usage:/);
    assert.match(new TextDecoder().decode(file.stderr), /--help/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("deno task l2 shows the usage for bad arguments only", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const run = (args: string[], env: Record<string, string>) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CLI, "l2", ...args],
        env: { DATA_DIR: dataDir, ...env },
        stdout: "piped",
        stderr: "piped",
      }).output();

    const setting = await run(["--file", "x.ar2v"], { JOB_WORKERS: "zero" });
    const settingError = new TextDecoder().decode(setting.stderr);
    assert.equal(setting.code, 2);
    assert.match(settingError, /JOB_WORKERS/);
    assert.doesNotMatch(settingError, /Usage:/);

    const argument = await run(["--start", "yesterday"], {});
    const argumentError = new TextDecoder().decode(argument.stderr);
    assert.equal(argument.code, 2);
    assert.match(argumentError, /--start/);
    assert.match(argumentError, /Usage:/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
