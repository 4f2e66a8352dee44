import assert from "node:assert/strict";
import { expandFilePaths, parseJobArgs } from "../../jobs/args.ts";

Deno.test("parseJobArgs() reads a historical range", () => {
  const request = parseJobArgs(
    [
      "l2",
      "--site",
      "KTLX",
      "--start",
      "2013-05-20T19:00Z",
      "--end",
      "2013-05-20T21:00Z",
    ],
    180,
  );
  assert.equal(request.level, 2);
  assert.deepEqual(request.sites, ["KTLX"]);
  assert.equal(request.range?.start.toISOString(), "2013-05-20T19:00:00.000Z");
  assert.equal(request.range?.end.toISOString(), "2013-05-20T21:00:00.000Z");
  assert.deepEqual(request.files, []);
});

Deno.test("parseJobArgs() completes a range with the window", () => {
  const request = parseJobArgs(["l3", "--start", "2021-01-31T09:00Z"], 180);
  assert.equal(request.level, 3);
  assert.equal(request.sites, null);
  assert.equal(request.range?.end.toISOString(), "2021-01-31T12:00:00.000Z");
});

Deno.test("parseJobArgs() takes sites or files", () => {
  const sites = parseJobArgs(
    ["l2", "--site", "ktlx,KLOT", "--site", "KPDT"],
    180,
  );
  assert.deepEqual(sites.sites, ["KTLX", "KLOT", "KPDT"]);
  assert.deepEqual(sites.files, []);
  assert.equal(sites.range, null);

  const files = parseJobArgs(["l2", "--file", "a_V06", "b_V06"], 180);
  assert.equal(files.sites, null);
  assert.deepEqual(files.files, ["a_V06", "b_V06"]);
  assert.throws(
    () => parseJobArgs(["l2", "--site", "KTLX", "--file", "a_V06"], 180),
    /--file takes no --site/,
  );
});

Deno.test("parseJobArgs() rejects bad input", () => {
  assert.throws(() => parseJobArgs(["l4"], 180), /Invalid command "l4"/);
  assert.throws(
    () => parseJobArgs(["l2", "--start", "yesterday"], 180),
    /Invalid --start/,
  );
  assert.throws(
    () => parseJobArgs(["l2", "--start", "2013-05-20T19:00"], 180),
    /Invalid --start/,
  );
  assert.throws(
    () =>
      parseJobArgs([
        "l2",
        "--start",
        "2013-05-20T21:00Z",
        "--end",
        "2013-05-20T19:00Z",
      ], 180),
    /not after --start/,
  );
  assert.throws(() => parseJobArgs(["l2", "a_V06"], 180), /put --file before/);
  assert.throws(
    () => parseJobArgs(["l2", "--sight", "KTLX"], 180),
    /Unknown option "--sight"/,
  );
  assert.throws(
    () => parseJobArgs(["l2", "--site"], 180),
    /Invalid option "--site": expected a value/,
  );
  assert.throws(
    () => parseJobArgs(["l2", "--site", "--file", "a_V06"], 180),
    /Invalid option "--site": expected a value/,
  );
  assert.throws(() => parseJobArgs(["l2", "-h"], 180), /Unknown option "-h"/);
  assert.throws(
    () => parseJobArgs(["l2", "--site="], 180),
    /Invalid --site "": expected a site id/,
  );
  assert.throws(
    () => parseJobArgs(["l2", "--site", " , "], 180),
    /Invalid --site " , ": expected a site id/,
  );
  // RADAR_SITE_L2 and RADAR_SITE_L3 reject an empty item too.
  assert.throws(
    () => parseJobArgs(["l3", "--site", "PDT,,TLX"], 180),
    /Invalid --site "PDT,,TLX": expected a site id such as TLX or KTLX/,
  );
  assert.throws(
    () => parseJobArgs(["l2", "--site", "KPDT,"], 180),
    /Invalid --site "KPDT,": expected a site id of 4 letters/,
  );
  // The message quotes the one --site that has the empty item.
  assert.throws(
    () => parseJobArgs(["l2", "--site", "KTLX", "--site", ""], 180),
    /Invalid --site "": expected a site id of 4 letters/,
  );
  // STL is the Level 3 id of the TDWR TSTL (core/radar/sites.ts).
  assert.throws(
    () => parseJobArgs(["l3", "--site", "TLX,KSTL"], 180),
    /Invalid --site "KSTL": Level 3 id STL is the radar TSTL, so expected TSTL or STL/,
  );
  assert.deepEqual(
    parseJobArgs(["l3", "--site", "tstl,KTLX"], 180).sites,
    ["STL", "TLX"],
  );
  // A site given twice, or by both of its Level 3 ids, is kept once.
  assert.deepEqual(
    parseJobArgs(["l3", "--site", "TLX,KTLX", "--site", "tlx"], 180).sites,
    ["TLX"],
  );
  assert.deepEqual(
    parseJobArgs(["l2", "--site", "KTLX,ktlx"], 180).sites,
    ["KTLX"],
  );
  // "ı" (dotless i) upper-cases to an ASCII I.
  assert.throws(
    () => parseJobArgs(["l3", "--site", "tlı"], 180),
    /Invalid --site "TLı"/,
  );
  assert.throws(
    () => parseJobArgs(["l2", "--file", "a_V06", "-v"], 180),
    /Unknown option "-v"/,
  );
  assert.throws(
    () => parseJobArgs(["l2", "--site", "-KTLX"], 180),
    /Invalid option "--site": expected a value/,
  );
  assert.throws(
    () => parseJobArgs(["l2", "--site", "KTLX,TLX"], 180),
    /Invalid --site "TLX": expected a site id of 4 letters such as KTLX/,
  );
  assert.throws(
    () => parseJobArgs(["l3", "--site", "K1LX"], 180),
    /Invalid --site "K1LX": expected a site id such as TLX or KTLX/,
  );
  assert.deepEqual(parseJobArgs(["l3", "--site", "tlx,KLOT"], 180).sites, [
    "TLX",
    "LOT",
  ]);
});

Deno.test("parseJobArgs() reads --name=value and paths after --", () => {
  const sites = parseJobArgs(["l2", "--site=KTLX"], 180);
  assert.deepEqual(sites.sites, ["KTLX"]);
  const files = parseJobArgs(
    ["l2", "--file=a_V06", "--", "--odd-name_V06"],
    180,
  );
  assert.deepEqual(files.files, ["a_V06", "--odd-name_V06"]);
});

Deno.test("expandFilePaths() lists the files under a folder", async () => {
  const root = await Deno.makeTempDir({ prefix: "args_test_" });
  try {
    await Deno.mkdir(`${root}/set/sub`, { recursive: true });
    await Deno.mkdir(`${root}/empty`);
    for (const name of ["set/b", "set/a", "set/.hidden", "set/sub/c", "x"]) {
      await Deno.writeTextFile(`${root}/${name}`, name);
    }
    // A link to a file is kept. A link to a folder (here back up) is not
    // followed, and a FIFO is left out because a read would wait on it.
    await Deno.symlink(`${root}/x`, `${root}/set/sub/link`);
    await Deno.symlink(root, `${root}/set/sub/up`);
    const fifo = new Deno.Command("mkfifo", { args: [`${root}/set/pipe`] });
    assert.ok((await fifo.output()).success);
    assert.deepEqual(
      await expandFilePaths([
        `${root}/x`,
        `${root}/set/`,
        `${root}/missing`,
        `${root}/empty`,
      ]),
      [
        `${root}/x`,
        `${root}/set/a`,
        `${root}/set/b`,
        `${root}/set/sub/c`,
        `${root}/set/sub/link`,
        `${root}/missing`,
        `${root}/empty`,
      ],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
