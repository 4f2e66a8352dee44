import assert from "node:assert/strict";
import { decode } from "fast-png";
import { renderTask } from "../../jobs/render_task.ts";

const CORPUS = new URL("../../../shared/data/nexrad/", import.meta.url);

async function corpusFile(name: string): Promise<Uint8Array> {
  return await Deno.readFile(new URL(name, CORPUS));
}

Deno.test("renderTask() draws one image per elevation", async () => {
  const rendered = await renderTask({
    kind: "level2",
    bytes: await corpusFile("level2/KTLX20170101_030027_V06"),
    source: "KTLX20170101_030027_V06",
    products: ["reflectivity", "velocity"],
    resolutionM: 3000,
  });
  // expected/level2/KTLX20170101_030027_V06.json: 7 sweeps at 5 fixed
  // angles, REF in all 7, VEL in sweeps 1 and 3 to 6.
  const sweepNumbers = (images: { metadata: Record<string, unknown> }[]) =>
    images.map((image) => image.metadata.original_sweep_number);
  assert.deepEqual(sweepNumbers(rendered.products.reflectivity!), [
    1,
    3,
    5,
    6,
    7,
  ]);
  assert.deepEqual(sweepNumbers(rendered.products.velocity!), [2, 4, 5, 6, 7]);
  assert.equal(rendered.siteId, "KTLX");
  assert.equal(rendered.collectedAt, "2017-01-01T03:00:27.000Z");
  assert.equal(rendered.archiveVersion, "AR2V0006");
});

Deno.test("renderTask() warns when it uses the site table", async () => {
  // MANIFEST: KTLX19990503_235621.gz is message 1 data, which has no VOL
  // block and so no radar location.
  const source = "KTLX19990503_235621.gz";
  const rendered = await renderTask({
    kind: "level2",
    bytes: await corpusFile(`level2/${source}`),
    source,
    products: ["reflectivity"],
    resolutionM: 4000,
  });
  const [image] = rendered.products.reflectivity!;
  // NCEI station list, KTLX: 35.333361 N, 97.277761 W.
  assert.deepEqual(image.metadata.radar_lon_lat, [-97.277761, 35.333361]);
  const warning = rendered.warnings.find((w) => /site table/.test(w.message));
  assert.ok(warning !== undefined, "a warning names the site table");
  assert.equal(warning.source, source);
  assert.match(warning.message, /no radar location \(message 1 data\)/);
  assert.match(warning.message, /entry of KTLX/);
});

Deno.test("renderTask() rejects message 1 data of unknown sites", async () => {
  // MANIFEST: the volume header of KTLX19990503_235621.gz names no site,
  // so the decoder takes the site from the file name.
  const bytes = await corpusFile("level2/KTLX19990503_235621.gz");
  await assert.rejects(
    () =>
      renderTask({
        kind: "level2",
        bytes,
        source: "KZZZ19990503_235621.gz",
        products: ["reflectivity"],
        resolutionM: 4000,
      }),
    /radar site table has no site "KZZZ"/,
  );
});

Deno.test("renderTask() draws every sweep when asked", async () => {
  const rendered = await renderTask({
    kind: "level2",
    bytes: await corpusFile("level2/KTLX20170101_030027_V06"),
    source: "KTLX20170101_030027_V06",
    products: ["reflectivity"],
    resolutionM: 3000,
    everySweep: true,
  });
  const images = rendered.products.reflectivity!;
  // Ordered by elevation, then file position: 0.48 (sweeps 1, 2), 1.49
  // (3, 4), 2.50, 3.52, 4.48.
  assert.deepEqual(
    images.map((image) => image.metadata.original_sweep_number),
    [1, 2, 3, 4, 5, 6, 7],
  );
});

Deno.test("renderTask() draws a null product transparent", async () => {
  // MANIFEST: LOT_DAA_2021_05_08_03_40_29 is a null (no precipitation)
  // product of KLOT; expected/level3 gives the radar at 41.604 N, 88.085 W.
  const rendered = await renderTask({
    kind: "level3",
    bytes: await corpusFile("level3/LOT_DAA_2021_05_08_03_40_29"),
    source: "LOT_DAA_2021_05_08_03_40_29",
    product: "precipitation",
    resolutionM: 3000,
  });
  const [image] = rendered.products.precipitation!;
  const box = image.metadata.bounding_box_lon_lat as Record<
    string,
    [number, number]
  >;
  assert.ok(box.nw[0] < -88.085, "west edge west of the radar");
  assert.ok(-88.085 < box.ne[0], "east edge east of the radar");
  assert.ok(box.sw[1] < 41.604, "south edge south of the radar");
  assert.ok(41.604 < box.nw[1], "north edge north of the radar");
  const png = decode(image.png);
  assert.equal(png.width, image.metadata.width);
  assert.equal(png.height, image.metadata.height);
  // An indexed PNG whose pixels all use palette entries with alpha 0.
  const palette = png.palette ?? [];
  const used = new Set(png.data);
  assert.equal(png.channels, 1);
  for (const index of used) {
    assert.equal(palette[index]?.[3], 0, `palette index ${index}`);
  }
});

Deno.test("renderTask() accepts a volume the radar ended early", async () => {
  // The expected/ file (Py-ART, MetPy): 12 sweeps of VCP 212's 17 cuts,
  // the last radial of status 4 (end of volume), as when AVSET ends a
  // volume scan. The 12 sweeps are at 9 elevation angles.
  const bytes = await corpusFile("level2/Level2_KFTG_20150430_1419.ar2v");
  const rendered = await renderTask({
    kind: "level2",
    source: "KFTG",
    bytes,
    products: ["reflectivity"],
    resolutionM: 4000,
  });
  assert.deepEqual(rendered.warnings, []);
  assert.equal(rendered.products.reflectivity!.length, 9);
});

Deno.test("renderTask() draws only the whole sweeps of a cut volume", async () => {
  // The first 1.5 MB of KTLX20190715_120037_V06: the expected/ file gives
  // its sweep 1 as 720 radials from the volume start to an end-of-elevation
  // radial; the cut falls later in the volume, inside a sweep.
  const whole = await corpusFile("level2/KTLX20190715_120037_V06");
  const task = {
    kind: "level2" as const,
    source: "cut_V06",
    products: ["reflectivity" as const, "velocity" as const],
    resolutionM: 4000,
  };
  const cut = await renderTask({ ...task, bytes: whole.slice(0, 1_500_000) });
  const full = await renderTask({ ...task, bytes: whole });

  const warning = cut.warnings.find((w) => /Incomplete volume/.test(w.message));
  assert.ok(warning, "no warning names what is missing");
  assert.equal(warning.source, "cut_V06");
  assert.match(warning.message, /cut short/);
  assert.match(warning.message, /of VCP 32 missing/);

  // Each image of the cut volume is the image of the same sweep of the
  // whole one: a half-received sweep would draw fewer radials.
  for (const product of task.products) {
    for (const [k, image] of cut.products[product]!.entries()) {
      const reference = full.products[product]![k];
      assert.equal(
        image.metadata.original_sweep_number,
        reference.metadata.original_sweep_number,
      );
      assert.deepEqual(image.png, reference.png, `${product} idx${k}`);
    }
  }
  const reflectivity = cut.products.reflectivity!;
  assert.ok(reflectivity.length >= 1);
  assert.ok(
    reflectivity.length < full.products.reflectivity!.length,
    "the cut volume drew every elevation",
  );
});
