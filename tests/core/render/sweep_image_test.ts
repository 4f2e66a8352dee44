import assert from "node:assert/strict";
import { decodeVolume } from "../../../core/level2/decode.ts";
import { legendOf } from "../../../core/render/legend.ts";
import { defaultColourTable } from "../../../core/render/palettes/default_tables.ts";
import { renderSweepImage } from "../../../core/render/sweep_image.ts";

const CORPUS = new URL("../../../../shared/data/nexrad/", import.meta.url);

async function readVolume(name: string) {
  return await decodeVolume(
    Deno.readFileSync(new URL(`level2/${name}`, CORPUS)),
    { source: name },
  );
}

Deno.test("renderSweepImage() writes the metadata the frontend reads", async () => {
  // Expected values from expected/level2/KTLX20170101_030027_V06.json:
  // sweep 1 (0-based) is the Doppler half of the 0.4834 degree split cut,
  // first azimuth 113.856812, first radial at 03:01:40.287Z.
  const volume = await readVolume("KTLX20170101_030027_V06");
  const image = await renderSweepImage(volume, 1, "VEL", { resolutionM: 2000 });
  const metadata = image.metadata;
  assert.equal(metadata.original_sweep_number, 2);
  // Ranked by angle, then file position: sweeps 0 and 1 share 0.4834.
  assert.equal(metadata.elevation_index, 2);
  assert.ok(Math.abs(metadata.elevation_angle_degrees - 0.483398) < 1e-3);
  assert.ok(Math.abs(metadata.azimuth_angle_degrees - 113.856812) < 1e-3);
  assert.equal(metadata.time, "2017-01-01T03:01:40.287Z");
  assert.equal(metadata.site, "KTLX");
  assert.equal(metadata.moment, "VEL");
  assert.equal(metadata.units, "m/s");
  assert.equal(metadata.projection, "EPSG:3857");
  const { nw, ne, se, sw } = metadata.bounding_box_lon_lat;
  assert.deepEqual([nw[1], ne[0], se[1], sw[0]], [ne[1], se[0], sw[1], nw[0]]);
  assert.ok(nw[0] < -97.277763);
  assert.ok(ne[0] > -97.277763);
  assert.ok(sw[1] < 35.333363);
  assert.ok(nw[1] > 35.333363);
  assert.deepEqual(
    Object.keys(metadata).slice(0, 5),
    [
      "original_sweep_number",
      "elevation_index",
      "elevation_angle_degrees",
      "azimuth_angle_degrees",
      "bounding_box_lon_lat",
    ],
  );
  // The image's first bytes are a PNG signature.
  assert.deepEqual([...image.png.subarray(0, 4)], [137, 80, 78, 71]);
});

Deno.test("renderSweepImage() places message 1 data by site table", async () => {
  const legacy = await readVolume("KTLX19910605_162126.gz");
  assert.equal(legacy.location, null);
  const image = await renderSweepImage(legacy, 0, "REF", { resolutionM: 4000 });
  // NCEI station list, KTLX: 35.333361 N, 97.277761 W.
  assert.deepEqual(image.metadata.radar_lon_lat, [-97.277761, 35.333361]);
  const { nw, se } = image.metadata.bounding_box_lon_lat;
  assert.ok(nw[0] < -97.277761, "west edge west of the radar");
  assert.ok(-97.277761 < se[0], "east edge east of the radar");
  assert.ok(se[1] < 35.333361, "south edge south of the radar");
  assert.ok(35.333361 < nw[1], "north edge north of the radar");
});

Deno.test("renderSweepImage() names what is missing", async () => {
  const volume = await readVolume("KTLX20170101_030027_V06");
  await assert.rejects(
    () => renderSweepImage(volume, 0, "VEL"),
    /Cannot render VEL of sweep 0 of KTLX: the sweep carries REF, ZDR, PHI, RHO/,
  );
  await assert.rejects(
    () => renderSweepImage(volume, 7, "REF"),
    /Cannot render sweep 7 of KTLX: the volume has 7 sweeps/,
  );
  // Message 1 data carries no radar location, and the site table has no
  // KZZZ.
  const legacy = await readVolume("KTLX19910605_162126.gz");
  await assert.rejects(
    () => renderSweepImage({ ...legacy, siteId: "KZZZ" }, 0, "REF"),
    /Cannot locate radar KZZZ: the volume has no radar location \(message 1 data\) and the radar site table has no site "KZZZ", so pass options.location/,
  );
  // A file named without its site, whose data names none either.
  await assert.rejects(
    () => renderSweepImage({ ...legacy, siteId: "" }, 0, "REF"),
    /no site id in its data or file name; name the file after its site/,
  );
  const placed = await renderSweepImage(legacy, 0, "REF", {
    resolutionM: 4000,
    location: {
      latitudeDeg: 35.3331,
      longitudeDeg: -97.2778,
      siteHeightM: 370,
      feedhornHeightM: 20,
    },
  });
  assert.deepEqual(placed.metadata.radar_lon_lat, [-97.2778, 35.3331]);
});

Deno.test("legendOf() labels reflectivity in 10 dBZ steps", () => {
  const legend = legendOf(defaultColourTable("REF"));
  const values = legend.entries.map((entry) => entry.value);
  assert.deepEqual(values, [
    -30,
    -20,
    -10,
    0,
    10,
    20,
    30,
    40,
    50,
    60,
    70,
    null,
  ]);
  assert.equal(legend.units, "dBZ");
});

Deno.test("renderSweepImage() reuses freed image memory", async () => {
  // KCRP20170826_044114_V06_3sweeps: sweeps 1 and 3 make images of about
  // 2,700 x 2,720 pixels, sweep 2 one of 1,764 x 1,774. Once the first
  // image has grown the module's memory, the third must fit in what the
  // first two freed.
  const worker = new Worker(
    new URL("./_memory_worker.ts", import.meta.url),
    { type: "module" },
  );
  try {
    const sizes = await new Promise<number[]>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message));
      };
      worker.postMessage({
        path: new URL("level2/KCRP20170826_044114_V06_3sweeps", CORPUS)
          .pathname,
        sweeps: [0, 1, 2],
      });
    });
    assert.equal(sizes.length, 3);
    assert.equal(sizes[2], sizes[0]);
  } finally {
    worker.terminate();
  }
});
