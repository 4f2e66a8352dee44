import assert from "node:assert/strict";
import {
  openSourceBucket,
  type SourceBucket,
} from "../../core/source/bucket.ts";
import {
  discoverLevel3,
  level3FileInputs,
  type Level3PassOptions,
  runLevel3Pass,
  writeCodeOptions,
} from "../../jobs/level3.ts";
import {
  LEVEL3_CATALOGUE,
  parseLevel3Types,
} from "../../jobs/level3_catalogue.ts";
import { PRODUCTS as PRODUCT_TABLE } from "../../core/level3/products.ts";
import type { JobLog } from "../../jobs/log.ts";
import type { PassInput } from "../../jobs/pass.ts";
import type { RenderedInput, RenderTask } from "../../jobs/rendered.ts";
import { renderTask } from "../../jobs/render_task.ts";
import { FsStore } from "../../core/storage/fs_store.ts";
import type { Store } from "../../core/storage/store.ts";
import { corpusPath, refusedEndpoint, startArchive } from "./_archive.ts";
import { MemoryStore } from "./_memory_store.ts";

// Orchestration tests of the Level 3 pass. A local S3 server contains real
// products under their real unidata-nexrad-level3 keys, and a double that
// returns one image per product replaces decoding and rendering.

const BUCKET = "unidata-nexrad-level3";
const KEYS = {
  LOT_N0H_2021_01_31_11_06_30: "level3/LOT_N0H_2021_01_31_11_06_30",
  LOT_HHC_2021_01_31_11_06_30: "level3/LOT_HHC_2021_01_31_11_06_30",
  LOT_N1P_2021_01_31_11_06_30: "level3/LOT_N1P_2021_01_31_11_06_30",
  LOT_NTP_2021_01_31_11_06_30: "level3/LOT_NTP_2021_01_31_11_06_30",
  // Outside the window, and a code of no configured type.
  LOT_N0H_2021_01_31_06_00_00: "level3/LOT_N0H_2021_01_31_11_06_30",
  LOT_N0S_2021_01_31_11_06_30: "level3/LOT_N0S_2021_01_31_11_06_30",
};
const WINDOW = {
  start: new Date("2021-01-31T09:00:00Z"),
  end: new Date("2021-01-31T11:30:00Z"),
};
const TYPES = parseLevel3Types("hydrometeor,precipitation");
const OPTIONS: Level3PassOptions = {
  types: TYPES,
  windowMinutes: 180,
  downloadConcurrency: 2,
  renderConcurrency: 2,
  maxAttempts: 2,
};
const LOG: JobLog = {
  info() {},
  progress() {},
  warn() {},
  error() {},
};

function render(task: RenderTask): Promise<RenderedInput> {
  assert.equal(task.kind, "level3");
  const product = task.kind === "level3" ? task.product : "";
  return Promise.resolve({
    siteId: "KLOT",
    collectedAt: "2021-01-31T11:06:30.000Z",
    archiveVersion: null,
    products: {
      [product]: [{
        png: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
        metadata: { source: task.source },
      }],
    },
    warnings: [],
    renderMs: 1,
  });
}

/** Counts the listings a source serves. */
function countingSource(source: SourceBucket) {
  const prefixes: string[] = [];
  const counted: SourceBucket = {
    name: source.name,
    list(prefix) {
      prefixes.push(prefix);
      return source.list(prefix);
    },
    folders: (prefix) => source.folders(prefix),
    get: (key) => source.get(key),
  };
  return { counted, prefixes };
}

Deno.test("discoverLevel3() lists each product-day once", async () => {
  const archive = await startArchive([BUCKET], { [BUCKET]: KEYS });
  try {
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const { counted, prefixes } = countingSource(source);
    const { inputs } = await discoverLevel3(
      counted,
      ["KLOT"],
      TYPES,
      WINDOW,
      LOG,
    );

    // 10 hydrometeor + 13 precipitation codes, one UTC day; SPD has no
    // image and is never listed.
    assert.equal(prefixes.length, 23);
    assert.equal(new Set(prefixes).size, 23);
    assert.ok(prefixes.includes("LOT_N0H_2021_01_31_"));
    assert.ok(!prefixes.includes("LOT_SPD_2021_01_31_"));
    assert.deepEqual(
      inputs.map((input) => [input.product, input.prefix]),
      [
        ["hydrometeor", "KLOT20210131_110630_HHC"],
        ["hydrometeor", "KLOT20210131_110630_N0H"],
        ["precipitation", "KLOT20210131_110630_N1P"],
        ["precipitation", "KLOT20210131_110630_NTP"],
      ],
    );
  } finally {
    await archive.close();
  }
});

Deno.test("discoverLevel3() stops listing when no response comes", async () => {
  const source = openSourceBucket(BUCKET, { endpoint: refusedEndpoint() });
  const { counted, prefixes } = countingSource(source);
  const errors: string[] = [];
  const log = { ...LOG, error: (message: string) => errors.push(message) };

  const found = await discoverLevel3(
    counted,
    ["LOT", "TLX"],
    TYPES,
    WINDOW,
    log,
  );

  assert.deepEqual(prefixes, ["LOT_N0H_2021_01_31_"]);
  assert.equal(found.errors, 1);
  assert.equal(found.inputs.length, 0);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /Connection refused/);
  assert.match(errors[0], /left to the next pass$/);
});

Deno.test("discoverLevel3() lists on after an HTTP error", async () => {
  // A server that returns 503 for every request: each prefix may differ.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("busy", { status: 503 }),
  );
  try {
    const source = openSourceBucket(BUCKET, {
      endpoint: `http://127.0.0.1:${server.addr.port}`,
    });
    const { counted, prefixes } = countingSource(source);
    const found = await discoverLevel3(counted, ["LOT"], TYPES, WINDOW, LOG);
    assert.equal(prefixes.length, 23);
    assert.equal(found.errors, 23);
  } finally {
    await server.shutdown();
  }
});

/** Finds the window's LOT products in a local archive, then runs `test`. */
async function withWindowInputs(
  test: (inputs: PassInput[]) => Promise<void>,
): Promise<void> {
  const archive = await startArchive([BUCKET], { [BUCKET]: KEYS });
  try {
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const { inputs } = await discoverLevel3(
      source,
      ["LOT"],
      TYPES,
      WINDOW,
      LOG,
    );
    await test(inputs);
  } finally {
    await archive.close();
  }
}

Deno.test("runLevel3Pass() publishes lists and code options", async () => {
  await withWindowInputs(async (inputs) => {
    const store = new MemoryStore();
    const summary = await runLevel3Pass(
      { store, render, log: LOG },
      OPTIONS,
      inputs,
    );

    assert.equal(summary.published, 4);
    assert.deepEqual(store.json("lists/nexrad_level3_hydrometeor_files.json"), {
      KLOT20210131_110630_HHC: { sweeps: 1 },
      KLOT20210131_110630_N0H: { sweeps: 1 },
    });
    assert.deepEqual(
      store.json("lists/nexrad_level3_precipitation_files.json"),
      {
        KLOT20210131_110630_N1P: { sweeps: 1 },
        KLOT20210131_110630_NTP: { sweeps: 1 },
      },
    );
    for (
      const stem of [
        "KLOT20210131_110630_HHC_hydrometeor_idx0",
        "KLOT20210131_110630_N1P_precipitation_idx0",
      ]
    ) {
      assert.ok(store.objects.has(`plots_level3/${stem}.png`), stem);
      assert.ok(store.objects.has(`plots_level3/${stem}.json`), stem);
    }

    const options = store.json("codes/options.json") as Record<
      string,
      { value: string | null; label: string | null; count: number }[]
    >;
    assert.deepEqual(options.reflectivity, [{
      value: null,
      label: null,
      count: 0,
    }]);
    assert.deepEqual(
      options.hydrometeor.map((o) => o.value),
      LEVEL3_CATALOGUE.hydrometeor!.map((c) => c.value),
    );
    const count = (type: string, code: string) =>
      options[type].find((o) => o.value === code)?.count;
    assert.equal(count("hydrometeor", "N0H"), 1);
    assert.equal(count("hydrometeor", "HHC"), 1);
    assert.equal(count("hydrometeor", "N1H"), 0);
    assert.equal(count("precipitation", "N1P"), 1);
    assert.equal(count("precipitation", "DAA"), 0);
    // SPD stays in the menu, as the replaced service listed it.
    assert.equal(count("precipitation", "SPD"), 0);
    assert.deepEqual(store.json("flags/update_flags.json"), {
      updates: { hydrometeor: 1, precipitation: 1 },
    });
  });
});

Deno.test("level3FileInputs() names products from their contents", async () => {
  // Copies under misleading names: an N0H of KLOT named as a DAA of TLX,
  // and files whose names match no pattern. The expected codes, sites and
  // volume times are those of the MANIFEST and the product headers.
  const folder = await Deno.makeTempDir({ prefix: "level3_test_" });
  try {
    const renamed = `${folder}/TLX_DAA_2020_01_01_00_00_00`;
    await Deno.copyFile(
      corpusPath("level3/LOT_N0H_2021_01_31_11_06_30"),
      renamed,
    );
    const empty = `${folder}/LOT_N0H_2021_01_31_11_10_00`;
    await Deno.writeFile(empty, new Uint8Array());
    const lines: string[] = [];
    const log = { ...LOG, error: (line: string) => void lines.push(line) };
    const warnings: string[] = [];
    log.warn = (line: string) => void warnings.push(line);

    const { inputs, errors, failed, skipped } = await level3FileInputs(
      [
        renamed,
        corpusPath("level3/KFTG_N1P_20041122_183757"),
        corpusPath("level3/Level3_MCI_N1P_20160526_2154.nids"),
        empty,
        corpusPath("level3/KLSX_SDUS63_SPDLSX_202112110114"),
        corpusPath("level3/Level3_MCI_DHR_20160526_2154.nids"),
        `${folder}/missing`,
      ],
      TYPES,
      log,
    );

    assert.deepEqual(inputs.map((i) => [i.product, i.prefix, i.local]), [
      ["hydrometeor", "KLOT20210131_110630_N0H", true],
      ["precipitation", "KFTG20041122_183757_N1P", true],
      ["precipitation", "TMCI20160526_215408_N1P", true],
    ]);
    // The empty file failed and the missing path could not be read. DHR
    // (no configured type) and SPD (no image) are skipped with a warning.
    assert.deepEqual([failed, errors, skipped], [1, 1, 2]);
    assert.equal(lines.length, 2);
    assert.match(lines[0], /LOT_N0H_2021_01_31_11_10_00/);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /SPD is a product without an image/);
    assert.match(warnings[1], /product 32 \(DHR, site TMCI\) skipped/);
    assert.deepEqual(
      await inputs[0].read(),
      await Deno.readFile(corpusPath("level3/LOT_N0H_2021_01_31_11_06_30")),
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("parseLevel3Types() takes types with chosen codes", () => {
  const types = parseLevel3Types("hydrometeor:N0H+HHC, base_reflectivity:N0B");
  assert.deepEqual(types.map((t) => [t.type, t.codes.map((c) => c.value)]), [
    ["hydrometeor", ["N0H", "HHC"]],
    ["base_reflectivity", ["N0B"]],
  ]);
  assert.throws(
    () => parseLevel3Types("radar"),
    /Invalid Level 3 product type "radar"/,
  );
  assert.throws(
    () => parseLevel3Types("hydrometeor:N0B"),
    /Invalid code "N0B"/,
  );
  assert.throws(
    () => parseLevel3Types("storm_relative_velocity:N0S:N1S"),
    /Invalid Level 3 product type "storm_relative_velocity:N0S:N1S"/,
  );
  assert.throws(
    () => parseLevel3Types("hydrometeor,precipitation,hydrometeor:N0H"),
    /"hydrometeor" appears twice/,
  );
  assert.throws(
    () => parseLevel3Types("base_reflectivity:N0Q+N0Q"),
    /code "N0Q" appears twice/,
  );
});

Deno.test("LEVEL3_CATALOGUE codes are ICD mnemonics, once each", () => {
  // The mnemonics of core/level3/products.ts are those of ICD 2620001
  // Table III. A code in two types would be fetched and listed twice.
  const mnemonics = [...PRODUCT_TABLE.values()].flatMap((info) =>
    info.mnemonics
  );
  const known = new Set(mnemonics);
  assert.equal(known.size, mnemonics.length);
  const codes = Object.values(LEVEL3_CATALOGUE).flatMap((entries) =>
    entries.map((entry) => entry.value)
  );
  assert.deepEqual(codes.filter((code) => !known.has(code)), []);
  assert.equal(new Set(codes).size, codes.length);
});

Deno.test("writeCodeOptions() keeps the stored types in the menu", async () => {
  const store = new MemoryStore();
  const putList = (type: string, prefixes: string[]) =>
    putLevel3List(store, type, prefixes);
  const menu = () => menuOf(store);
  await putList("storm_relative_velocity", [
    "KTLX20130520_201643_N0S",
    "KTLX20130520_201643_N1S",
    "KTLX20130520_202101_N1S",
  ]);

  // N1S is not chosen, but its list entries put it in the menu.
  await writeCodeOptions(
    store,
    parseLevel3Types("storm_relative_velocity:N0S+N2S"),
  );
  assert.deepEqual(menu(), {
    reflectivity: ["null:0"],
    storm_relative_velocity: ["N0S:1", "N1S:2", "N2S:0"],
  });

  // A pass of another type leaves the stored one in the menu as it was.
  await writeCodeOptions(store, parseLevel3Types("echo_tops"));
  assert.deepEqual(menu(), {
    reflectivity: ["null:0"],
    storm_relative_velocity: ["N0S:1", "N1S:2", "N2S:0"],
    echo_tops: ["EET:0", "NET:0"],
  });
  const { etag } = store.objects.get("codes/options.json")!;
  await writeCodeOptions(store, parseLevel3Types("echo_tops"));
  assert.equal(store.objects.get("codes/options.json")!.etag, etag);

  // A menu that is not JSON is rebuilt from the lists.
  await store.put("codes/options.json", new TextEncoder().encode("not json"), {
    contentType: "application/json",
  });
  await writeCodeOptions(store, parseLevel3Types("echo_tops"));
  assert.deepEqual(menu(), {
    reflectivity: ["null:0"],
    storm_relative_velocity: ["N0S:1", "N1S:2"],
    echo_tops: ["EET:0", "NET:0"],
  });

  // Once retention has emptied its list, it leaves the menu.
  await putList("storm_relative_velocity", []);
  await writeCodeOptions(store, parseLevel3Types("echo_tops"));
  assert.deepEqual(menu(), {
    reflectivity: ["null:0"],
    echo_tops: ["EET:0", "NET:0"],
  });
});

Deno.test("writeCodeOptions() counts a list written meanwhile", async () => {
  // Another pass lists its first N0H and writes the menu while this one,
  // of echo_tops, is about to write it.
  const store = new MemoryStore();
  let raced = false;
  store.beforeWrite = (key) => {
    if (key !== "codes/options.json" || raced) return;
    raced = true;
    const write = (key: string, value: unknown) =>
      store.put(key, new TextEncoder().encode(JSON.stringify(value)), {
        contentType: "application/json",
      });
    write("lists/nexrad_level3_hydrometeor_files.json", {
      KTLX20130520_201643_N0H: { sweeps: 1 },
    });
    write("codes/options.json", {
      hydrometeor: [{ value: "N0H", label: "N0H", count: 1 }],
    });
  };
  await writeCodeOptions(store, parseLevel3Types("echo_tops"));
  const menu = store.json("codes/options.json") as Record<string, unknown>;
  assert.deepEqual(Object.keys(menu), [
    "reflectivity",
    "hydrometeor",
    "echo_tops",
  ]);
});

Deno.test("writeCodeOptions() keeps a type whose list fails", async () => {
  const store = new MemoryStore();
  await writeCodeOptions(store, parseLevel3Types("echo_tops:EET"));
  const failing = "lists/nexrad_level3_echo_tops_files.json";
  const get = store.get.bind(store);
  store.get = (key) =>
    key === failing ? Promise.reject(new Error("Is a directory")) : get(key);

  await writeCodeOptions(store, parseLevel3Types("hydrometeor:N0H"));
  assert.deepEqual(menuOf(store), {
    reflectivity: ["null:0"],
    hydrometeor: ["N0H:0"],
    echo_tops: ["EET:0"],
  });
});

Deno.test("writeCodeOptions() reads the lists again after writing", async () => {
  // The filesystem store's ETag hashes the content, so a menu that changes
  // and changes back meanwhile matches the ETag this write read.
  const folder = await Deno.makeTempDir({ prefix: "level3_test_" });
  try {
    const store = new FsStore(folder);
    const putList = (prefixes: string[]) =>
      putLevel3List(store, "hydrometeor", prefixes);
    const types = parseLevel3Types("hydrometeor:N0H");
    await putList(["KTLX20130520_201643_N0H"]);
    await writeCodeOptions(store, types);
    await putList(["KTLX20130520_201643_N0H", "KTLX20130520_202101_N0H"]);

    // This write counted 2 entries. Before it lands, other passes write 2,
    // then retention drops one and a pass writes 1 again.
    let raced = false;
    const putIfMatch = store.putIfMatch.bind(store);
    store.putIfMatch = async (key, body, etag, options) => {
      if (!raced) {
        raced = true;
        await writeCodeOptions(store, types);
        await putList(["KTLX20130520_202101_N0H"]);
        await writeCodeOptions(store, types);
      }
      return await putIfMatch(key, body, etag, options);
    };
    await writeCodeOptions(store, types);

    const menu = JSON.parse(
      await Deno.readTextFile(`${folder}/codes/options.json`),
    );
    assert.equal(menu.hydrometeor[0].count, 1);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("runLevel3Pass() publishes null products like any other", async () => {
  // MANIFEST and expected/level3: both are null (no precipitation)
  // products of KLOT (41.604 N, 88.085 W), codes 170 and 172, whose data
  // reach 230 km (ICD 2620001, product descriptions). 230 km north on a
  // 6371 km sphere is 2.068 degrees of latitude; a 3 km pixel is 0.027.
  const store = new MemoryStore();
  const { inputs, errors } = await level3FileInputs(
    [
      corpusPath("level3/LOT_DAA_2021_05_08_03_40_29"),
      corpusPath("level3/LOT_DTA_2021_05_08_03_47_25"),
    ],
    TYPES,
    LOG,
  );
  assert.equal(errors, 0);
  const summary = await runLevel3Pass(
    { store, render: renderTask, log: LOG },
    { ...OPTIONS, resolutionM: 3000 },
    inputs,
  );
  assert.deepEqual([summary.published, summary.failed], [2, 0]);
  assert.deepEqual(store.json("lists/nexrad_level3_precipitation_files.json"), {
    KLOT20210508_034029_DAA: { sweeps: 1 },
    KLOT20210508_034725_DTA: { sweeps: 1 },
  });
  for (const stem of ["KLOT20210508_034029_DAA", "KLOT20210508_034725_DTA"]) {
    const metadata = store.json(
      `plots_level3/${stem}_precipitation_idx0.json`,
    ) as { bounding_box_lon_lat: Record<string, [number, number]> };
    const { nw, se } = metadata.bounding_box_lon_lat;
    assert.ok(Math.abs(nw[1] - (41.604 + 2.068)) < 0.03, `${stem} north`);
    assert.ok(Math.abs(se[1] - (41.604 - 2.068)) < 0.03, `${stem} south`);
    assert.ok(
      store.objects.has(`plots_level3/${stem}_precipitation_idx0.png`),
    );
  }
  const options = store.json("codes/options.json") as Record<
    string,
    { value: string; count: number }[]
  >;
  const count = (code: string) =>
    options.precipitation.find((o) => o.value === code)?.count;
  assert.deepEqual([count("DAA"), count("DTA"), count("SPD")], [1, 1, 0]);
});

Deno.test("level3FileInputs() names the setting a product needs", async () => {
  // N0B is base reflectivity (product 153), a type that TYPES leaves out;
  // N0F (product 113, power removed control) is in no type of the
  // catalogue.
  const lines: string[] = [];
  const log: JobLog = { ...LOG, warn: (line) => lines.push(line) };
  const found = await level3FileInputs(
    [
      corpusPath("level3/AMX_N0B_2026_07_06_15_45_17"),
      corpusPath("level3/KGJX_N0F_20200817_0551.nids"),
    ],
    TYPES,
    log,
  );
  assert.equal(found.skipped, 2);
  assert.match(
    lines[0],
    /N0B, site KAMX\) skipped: L3_PRODUCTS \(hydrometeor,precipitation\) does not include it; add base_reflectivity or base_reflectivity:N0B$/,
  );
  assert.match(
    lines[1],
    /N0F, site KGJX\) skipped: no Level 3 type includes this product$/,
  );
});

Deno.test("level3FileInputs() finds the super-res H0C and H0V types", async () => {
  // Products 167 (H0C) and 154 (H0V), as Py-ART and MetPy read them, go
  // to the correlation coefficient and base velocity types.
  const { inputs, skipped } = await level3FileInputs(
    [
      corpusPath("level3/KLZK_H0C_20200814_0417"),
      corpusPath("level3/KLZK_H0V_20200812_1309"),
    ],
    parseLevel3Types("digital_correlation_coefficient,base_velocity"),
    LOG,
  );
  assert.equal(skipped, 0);
  assert.deepEqual(inputs.map((input) => input.product), [
    "digital_correlation_coefficient",
    "base_velocity",
  ]);
});

Deno.test("runLevel3Pass() draws the dual-pol, composite, VIL and top types", async () => {
  // Nine KTLX products of 20:16 UTC on 2013-05-20. The reach of DVL (460
  // bins) and EET (346 bins) of 1 km, NCZ's raster of 232 x 232 cells of 4
  // km, and the radar at 35.333 N are what Py-ART and MetPy report. On a
  // 6371 km sphere 460 km north is 4.137 degrees of latitude, 464 km 4.173
  // and 346 km 3.112.
  const store = await drawCorpusProducts([
    [
      "KOUN_SDUS84_N0CTLX_201305202016",
      "digital_correlation_coefficient",
      "KTLX20130520_201643_N0C",
    ],
    [
      "KOUN_SDUS84_N0XTLX_201305202016",
      "digital_differential_reflectivity",
      "KTLX20130520_201643_N0X",
    ],
    [
      "KOUN_SDUS84_N0KTLX_201305202016",
      "digital_specific_differential_phase",
      "KTLX20130520_201643_N0K",
    ],
    [
      "KOUN_SDUS54_DVLTLX_201305202016",
      "vertically_integrated_liquid",
      "KTLX20130520_201643_DVL",
    ],
    [
      "KOUN_SDUS54_NVLTLX_201305202012",
      "vertically_integrated_liquid",
      "KTLX20130520_201229_NVL",
    ],
    ["KOUN_SDUS74_EETTLX_201305202016", "echo_tops", "KTLX20130520_201643_EET"],
    ["KOUN_SDUS74_NETTLX_201305202016", "echo_tops", "KTLX20130520_201643_NET"],
    [
      "KOUN_SDUS54_NCRTLX_201305202016",
      "composite_reflectivity",
      "KTLX20130520_201643_NCR",
    ],
    [
      "KOUN_SDUS64_NCZTLX_201305202016",
      "composite_reflectivity",
      "KTLX20130520_201643_NCZ",
    ],
  ]);
  assertNorthEdges(store, [
    ["KTLX20130520_201643_DVL", "vertically_integrated_liquid", 35.333 + 4.137],
    ["KTLX20130520_201643_EET", "echo_tops", 35.333 + 3.112],
    ["KTLX20130520_201643_NCZ", "composite_reflectivity", 35.333 + 4.173],
  ]);
});

Deno.test("runLevel3Pass() draws legacy, tilt and TDWR codes", async () => {
  // Products of KTLX at 20:16 UTC on 2013-05-20 and of TDWR TSTL at 02:00 UTC
  // on 2021-12-11. Py-ART and MetPy report N0Z's 230 bins of 2 km at 0.5
  // degrees, NSP's 240 of 0.25 km at 0.5, NLA's 116 x 116 cells of 4 km and
  // TZL's 1390 bins of 0.3 km at 0.3 (Py-ART: 0). They put KTLX at 35.333 N and
  // TSTL at 38.805 N. Ground ranges, worked out by hand with the 4/3 earth
  // radius model on a 6371 km sphere: 460 km at 0.5 degrees is 459.32 km, or
  // 4.131 degrees of latitude. 60 km is 0.539 degrees, and 417 km at 0.3 is
  // 416.55 km, or 3.746 degrees. NLA's half-width of 232 km is 2.086 degrees.
  const store = await drawCorpusProducts([
    [
      "KOUN_SDUS54_N0RTLX_201305202016",
      "base_reflectivity",
      "KTLX20130520_201643_N0R",
    ],
    [
      "KOUN_SDUS74_N0ZTLX_201305202016",
      "base_reflectivity",
      "KTLX20130520_201643_N0Z",
    ],
    [
      "KOUN_SDUS24_N2QTLX_201305202016",
      "base_reflectivity",
      "KTLX20130520_201643_N2Q",
    ],
    [
      "KOUN_SDUS54_N0VTLX_201305202016",
      "base_velocity",
      "KTLX20130520_201643_N0V",
    ],
    [
      "KOUN_SDUS24_NBUTLX_201305202016",
      "base_velocity",
      "KTLX20130520_201643_NBU",
    ],
    [
      "KOUN_SDUS54_N0STLX_201305202016",
      "storm_relative_velocity",
      "KTLX20130520_201643_N0S",
    ],
    [
      "KOUN_SDUS34_N3STLX_201305202016",
      "storm_relative_velocity",
      "KTLX20130520_201643_N3S",
    ],
    [
      "KOUN_SDUS64_NSPTLX_201305202016",
      "base_spectrum_width",
      "KTLX20130520_201643_NSP",
    ],
    [
      "KOUN_SDUS64_NSWTLX_201305202016",
      "base_spectrum_width",
      "KTLX20130520_201643_NSW",
    ],
    [
      "KOUN_SDUS64_NLATLX_201305202016",
      "layer_composite_reflectivity",
      "KTLX20130520_201643_NLA",
    ],
    [
      "KOUN_SDUS64_NHLTLX_201305202016",
      "layer_composite_reflectivity",
      "KTLX20130520_201643_NHL",
    ],
    [
      "KOUN_SDUS54_DHRTLX_201305202016",
      "digital_hybrid_reflectivity",
      "KTLX20130520_201643_DHR",
    ],
    [
      "Level3_STL_TZ0_20211211_0200.nids",
      "tdwr_reflectivity",
      "TSTL20211211_020035_TZ0",
    ],
    [
      "Level3_STL_TZL_20211211_0200.nids",
      "tdwr_reflectivity",
      "TSTL20211211_020018_TZL",
    ],
    [
      "Level3_STL_TV0_20211211_0200.nids",
      "tdwr_velocity",
      "TSTL20211211_020035_TV0",
    ],
  ]);
  assertNorthEdges(store, [
    ["KTLX20130520_201643_N0Z", "base_reflectivity", 35.333 + 4.131],
    ["KTLX20130520_201643_NSP", "base_spectrum_width", 35.333 + 0.539],
    ["KTLX20130520_201643_NLA", "layer_composite_reflectivity", 35.333 + 2.086],
    ["TSTL20211211_020018_TZL", "tdwr_reflectivity", 38.805 + 3.746],
  ]);
});

Deno.test("level3FileInputs() skips messages without products", async () => {
  // KDDC-gsm.nids is a General Status Message (message code 2), and
  // KABR_NOUS63_FTMABR_201104281331 a plain-text Free Text Message with no
  // binary product header: valid messages without a product to draw.
  const lines: string[] = [];
  const errors: string[] = [];
  const log: JobLog = {
    ...LOG,
    warn: (line) => lines.push(line),
    error: (line) => errors.push(line),
  };
  const found = await level3FileInputs(
    [
      corpusPath("level3/KDDC-gsm.nids"),
      corpusPath("level3/KABR_NOUS63_FTMABR_201104281331"),
    ],
    TYPES,
    log,
  );
  assert.deepEqual(
    [found.inputs.length, found.failed, found.errors, found.skipped],
    [0, 0, 0, 2],
  );
  assert.deepEqual(errors, []);
  assert.match(lines[0], /General Status Message \(code 2\).*, skipped$/);
  assert.match(lines[1], /Free-text message.*, skipped$/);
});

Deno.test("level3FileInputs() reads a file again and notices a change", async () => {
  const folder = await Deno.makeTempDir({ prefix: "level3_test_" });
  try {
    const path = `${folder}/product`;
    const original = await Deno.readFile(
      corpusPath("level3/LOT_N0H_2021_01_31_11_06_30"),
    );
    await Deno.writeFile(path, original);
    const { inputs } = await level3FileInputs([path], TYPES, LOG);
    assert.equal(inputs.length, 1);
    assert.deepEqual(await inputs[0].read(), original);

    await Deno.writeFile(
      path,
      await Deno.readFile(corpusPath("level3/LOT_HHC_2021_01_31_11_06_30")),
    );
    await assert.rejects(
      () => inputs[0].read(),
      /product changed after it was decoded to name it/,
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("runLevel3Pass() keeps each list's own retention window", async () => {
  // The precipitation list already names a KLOT product a day after the
  // window's products: the precipitation inputs are too old for it, but
  // the hydrometeor list has no newer entry, so its inputs are published.
  await withWindowInputs(async (inputs) => {
    const store = new MemoryStore();
    const newer = { KLOT20210201_110630_N1P: { sweeps: 1 } };
    await store.put(
      "lists/nexrad_level3_precipitation_files.json",
      new TextEncoder().encode(JSON.stringify(newer)),
      { contentType: "application/json" },
    );
    const summary = await runLevel3Pass(
      { store, render, log: LOG },
      OPTIONS,
      inputs,
    );
    assert.deepEqual([summary.published, summary.skipped], [2, 2]);
    assert.deepEqual(
      Object.keys(
        store.json("lists/nexrad_level3_hydrometeor_files.json") as object,
      ),
      ["KLOT20210131_110630_HHC", "KLOT20210131_110630_N0H"],
    );
    assert.deepEqual(
      store.json("lists/nexrad_level3_precipitation_files.json"),
      newer,
    );
  });
});

/**
 * Runs a pass over corpus Level 3 files, each with the type and list
 * prefix it must get, and checks that each is stored and listed.
 *
 * @returns The store the pass wrote to.
 */
async function drawCorpusProducts(
  files: [name: string, type: string, prefix: string][],
): Promise<MemoryStore> {
  const types = parseLevel3Types([...new Set(files.map(([, t]) => t))].join());
  const { inputs, skipped } = await level3FileInputs(
    files.map(([name]) => corpusPath(`level3/${name}`)),
    types,
    LOG,
  );
  assert.equal(skipped, 0);
  assert.deepEqual(
    inputs.map((input) => input.product),
    files.map(([, type]) => type),
  );

  const store = new MemoryStore();
  const summary = await runLevel3Pass(
    { store, render: renderTask, log: LOG },
    { ...OPTIONS, types, resolutionM: 3000 },
    inputs,
  );
  assert.deepEqual([summary.published, summary.failed], [files.length, 0]);
  for (const [, product, prefix] of files) {
    const list = store.json(`lists/nexrad_level3_${product}_files.json`);
    assert.deepEqual((list as Record<string, unknown>)[prefix], { sweeps: 1 });
    const image = `plots_level3/${prefix}_${product}_idx0.png`;
    assert.ok(store.objects.has(image), image);
  }
  return store;
}

/**
 * Checks the north edge of each stored image's bounding box against an
 * expected latitude, within 0.03 degrees.
 */
function assertNorthEdges(
  store: MemoryStore,
  edges: [stem: string, type: string, latitude: number][],
): void {
  for (const [stem, type, expected] of edges) {
    const json = store.json(`plots_level3/${stem}_${type}_idx0.json`) as {
      bounding_box_lon_lat: Record<string, [number, number]>;
    };
    const north = json.bounding_box_lon_lat.nw[1];
    assert.ok(
      Math.abs(north - expected) < 0.03,
      `${stem}: north edge ${north}, expected ${expected}`,
    );
  }
}

/** Returns the stored code menu as "CODE:count" strings per type. */
function menuOf(store: MemoryStore): Record<string, string[]> {
  const menu = store.json("codes/options.json") as Record<
    string,
    { value: string | null; count: number }[]
  >;
  return Object.fromEntries(
    Object.entries(menu).map((
      [type, codes],
    ) => [type, codes.map((c) => `${c.value}:${c.count}`)]),
  );
}

/** Stores the list of a Level 3 type with one image per prefix. */
function putLevel3List(
  store: Store,
  type: string,
  prefixes: string[],
): Promise<void> {
  const list = Object.fromEntries(prefixes.map((p) => [p, { sweeps: 1 }]));
  return store.put(
    `lists/nexrad_level3_${type}_files.json`,
    new TextEncoder().encode(JSON.stringify(list)),
    { contentType: "application/json" },
  );
}
