/// <reference lib="dom" />
import assert from "node:assert/strict";
import { type Browser, chromium } from "playwright-core";
import { createApp } from "../../api/app.ts";
import { loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { FsStore } from "../../core/storage/fs_store.ts";
import type { JobLog } from "../../jobs/log.ts";
import { renderTask } from "../../jobs/render_task.ts";
import { runJob } from "../../jobs/run.ts";
import { loadJobSettings } from "../../jobs/settings.ts";

// The replaced service's frontend in a real browser: Debian's Chromium,
// driven by playwright-core, loads a page from one loopback origin and
// makes the frontend's requests to the API on another, in its order
// (startup, bulk caching, drawing, polling). Fetches are plain GETs in the
// default CORS mode, and images become data URLs through blob and
// FileReader, as the frontend caches them. Mapbox itself needs the
// network, so the test stops at decoding each image and checking the
// corners it would be placed at.

const CHROMIUM = "/usr/bin/chromium";
const CORPUS = new URL("../../../shared/data/nexrad/", import.meta.url);
const LEVEL2_FILES = ["level2/KTLX20170101_030027_V06"];
const LEVEL3_FILES = [
  "level3/LOT_N0H_2021_01_31_11_06_30",
  "level3/LOT_HHC_2021_01_31_11_06_30",
  "level3/LOT_N1P_2021_01_31_11_06_30",
  "level3/LOT_NTP_2021_01_31_11_06_30",
];

/** Chromium's options for a closed network (no background connections). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface Drawn {
  key: string;
  /** The data URL's media type. */
  type: string;
  width: number;
  height: number;
  /** Pixels that are not fully transparent. */
  visible: number;
  metadata: {
    width: number;
    height: number;
    bounding_box_lon_lat: Record<"nw" | "ne" | "se" | "sw", number[]>;
  };
}

interface FrontendRun {
  reflectivity: string[];
  level3Codes: Record<string, string[]>;
  frames: Drawn[];
  level3: Drawn[];
  unchanged: boolean;
  blocked: boolean;
  reachable: boolean;
}

/**
 * Makes the frontend's requests from the page: `api` is the API's origin,
 * `closed` an origin that sends no CORS headers.
 */
async function frontend(
  { api, closed }: { api: string; closed: string },
): Promise<FrontendRun> {
  const toDataUrl = async (url: string): Promise<string> => {
    const blob = await (await fetch(url)).blob();
    return await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  };
  const draw = async (key: string, url: string, level: number) => {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    let visible = 0;
    for (let i = 3; i < pixels.data.length; i += 4) {
      if (pixels.data[i] > 0) visible++;
    }
    const metadata = await (await fetch(`${api}/data/${level}/${key}/json`))
      .json();
    return {
      key,
      type: url.slice(5, url.indexOf(";")),
      width: image.naturalWidth,
      height: image.naturalHeight,
      visible,
      metadata,
    };
  };

  // Startup: the lists, grouped by code (reflectivity all under V06, Level
  // 3 by the last "_" token of the prefix), in the JSON's key order.
  const listText = await (await fetch(`${api}/list-all/`)).text();
  const lists = JSON.parse(listText) as Record<
    string,
    Record<string, { sweeps: number }>
  >;
  const groups: Record<string, Record<string, string[]>> = {};
  for (const [type, list] of Object.entries(lists)) {
    groups[type] = {};
    for (const prefix of Object.keys(list)) {
      const code = type === "reflectivity" ? "V06" : prefix.split("_").at(-1)!;
      (groups[type][code] ??= []).push(prefix);
    }
  }
  // Bulk caching: every tilt of every reflectivity volume at once.
  const cache: Record<string, string> = {};
  await Promise.all(
    groups.reflectivity.V06.flatMap((prefix) =>
      Array.from({ length: lists.reflectivity[prefix].sweeps }, (_, k) => {
        const key = `${prefix}_reflectivity_idx${k}`;
        return toDataUrl(`${api}/data/2/${key}/png`).then((url) => {
          cache[key] = url;
        });
      })
    ),
  );
  const codes = await (await fetch(`${api}/code/`)).json() as Record<
    string,
    { value: string | null; count: number }[]
  >;
  const frames = [];
  for (const [key, url] of Object.entries(cache)) {
    frames.push(await draw(key, url, 2));
  }
  // Level 3: each code the menu offers with a count, its latest product.
  const level3 = [];
  for (const type of ["hydrometeor", "precipitation"]) {
    for (const option of codes[type].filter((o) => o.count > 0)) {
      const prefix = groups[type][option.value!].at(-1)!;
      const key = `${prefix}_${type}_idx0`;
      level3.push(
        await draw(key, await toDataUrl(`${api}/data/3/${key}/png`), 3),
      );
    }
  }
  // Polling compares the whole text of the lists.
  const again = await (await fetch(`${api}/list-all/`)).text();
  // The same request to an origin without CORS headers must fail, or the
  // browser checks nothing. In no-cors mode it reaches that origin.
  const blocked = await fetch(`${closed}/list-all/`).then(
    () => false,
    () => true,
  );
  const reachable = await fetch(`${closed}/list-all/`, { mode: "no-cors" })
    .then(() => true, () => false);
  return {
    reflectivity: groups.reflectivity.V06,
    level3Codes: Object.fromEntries(
      Object.entries(groups).filter(([type]) => type !== "reflectivity")
        .map(([type, byCode]) => [type, Object.keys(byCode).sort()]),
    ),
    frames,
    level3,
    unchanged: again === listText,
    blocked,
    reachable,
  };
}

function silentLog(): JobLog {
  const ignore = () => {};
  return { info: ignore, progress: ignore, warn: ignore, error: ignore };
}

Deno.test("frontend requests succeed in Chromium", async () => {
  const root = await Deno.makeTempDir({ prefix: "browser_test_" });
  const servers: Deno.HttpServer[] = [];
  let browser: Browser | undefined;
  try {
    const store = new FsStore(root);
    const config = loadConfig({ DATA_DIR: root });
    const context = {
      config,
      // The default resolution: images as large as the frontend gets.
      settings: loadJobSettings({}),
      store,
      render: renderTask,
      log: silentLog(),
    };
    const path = (name: string) => new URL(name, CORPUS).pathname;
    await runJob(context, {
      level: 2,
      sites: null,
      range: null,
      files: LEVEL2_FILES.map(path),
    });
    await runJob(context, {
      level: 3,
      sites: null,
      range: null,
      files: LEVEL3_FILES.map(path),
    });

    const app = createApp({ store, config, logger: silentLogger });
    const listen = { hostname: "127.0.0.1", port: 0, onListen() {} };
    const api = Deno.serve(listen, app.fetch);
    // The page's origin, and an origin that responds without CORS headers.
    const page = Deno.serve(
      listen,
      () =>
        new Response("<!doctype html><title>radar</title>", {
          headers: { "Content-Type": "text/html" },
        }),
    );
    const closed = Deno.serve(listen, () => Response.json({}));
    servers.push(api, page, closed);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${page.addr.port}/`);
    const run = await tab.evaluate(frontend, {
      api: `http://127.0.0.1:${api.addr.port}`,
      closed: `http://127.0.0.1:${closed.addr.port}`,
    });

    assert.equal(run.blocked, true);
    assert.equal(run.reachable, true);
    assert.equal(run.unchanged, true);
    assert.deepEqual(run.reflectivity, ["KTLX20170101_030027_V06"]);
    assert.deepEqual(run.level3Codes, {
      hydrometeor: ["HHC", "N0H"],
      precipitation: ["N1P", "NTP"],
    });
    // expected/level2/KTLX20170101_030027_V06.json: VCP 32, 5 distinct
    // elevations.
    assert.equal(run.frames.length, 5);
    for (const drawn of [...run.frames, ...run.level3]) {
      assert.equal(drawn.type, "image/png", drawn.key);
      assert.equal(drawn.width, drawn.metadata.width, drawn.key);
      assert.equal(drawn.height, drawn.metadata.height, drawn.key);
      assert.ok(drawn.visible < drawn.width * drawn.height, drawn.key);
      // Mapbox's order: top-left, top-right, bottom-right, bottom-left.
      const { nw, ne, se, sw } = drawn.metadata.bounding_box_lon_lat;
      assert.ok(nw[0] < ne[0], `${drawn.key} north edge west to east`);
      assert.ok(sw[0] < se[0], `${drawn.key} south edge west to east`);
      assert.ok(nw[1] > sw[1], `${drawn.key} west edge north to south`);
      assert.ok(ne[1] > se[1], `${drawn.key} east edge north to south`);
    }
    for (const drawn of run.frames.filter((f) => f.key.endsWith("_idx0"))) {
      assert.ok(drawn.visible > 0, `${drawn.key} shows echoes`);
    }
    assert.equal(run.level3.length, 4);
    for (const drawn of run.level3) {
      assert.ok(drawn.visible > 0, `${drawn.key} shows data`);
    }
  } finally {
    await browser?.close();
    await Promise.all(servers.map((server) => server.shutdown()));
    await Deno.remove(root, { recursive: true });
  }
});
