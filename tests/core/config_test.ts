import assert from "node:assert/strict";
import { ConfigError, describeConfig, loadConfig } from "../../core/config.ts";

// Defaults are those of the Python service's config.py, kept by name.

Deno.test("loadConfig() applies the original defaults", () => {
  const config = loadConfig({});
  assert.equal(config.apiHost, "0.0.0.0");
  assert.equal(config.apiPort, 4000);
  assert.equal(config.store, "fs");
  assert.equal(config.dataDir, "./data");
  assert.equal(config.s3.bucket, "nexrad-mapbox");
  assert.equal(config.s3.region, "us-east-1");
  assert.deepEqual(config.level2Sites, ["KPDT"]);
  assert.deepEqual(config.level3Sites, ["PDT"]);
  assert.equal(config.processingWindowMinutes, 180);
  assert.equal(config.retentionMinutes, 240);
  // The default cleanup window is the window + 60, up to its 7-day limit.
  const week = loadConfig({ PROCESSING_WINDOW_MINUTES: "10080" });
  assert.equal(week.retentionMinutes, 10080);
  assert.equal(config.flagToken, undefined);
  assert.equal(config.corsOrigins, "*");
  assert.equal(config.level2Cron, "*/5 * * * *");
  assert.equal(config.logLevel, "info");
});

Deno.test("loadConfig() reads every setting", () => {
  const config = loadConfig({
    API_HOST: "127.0.0.1",
    API_PORT: "8080",
    STORE: "s3",
    DATA_DIR: "/srv/data",
    PROJECT_S3_BUCKET: "radar.example",
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret-value",
    S3_ENDPOINT: "http://127.0.0.1:9000/",
    SOURCE_ENDPOINT: "http://127.0.0.1:9001",
    RADAR_SITE_L2: "kpdt, KOTX,KPDT",
    RADAR_SITE_L3: "PDT,OTX,KPDT,tstl",
    PROCESSING_WINDOW_MINUTES: "60",
    CLEANUP_WINDOW_MINUTES: "90",
    FLAG_TOKEN: "0123456789abcdef0123",
    CORS_ORIGINS: "https://a.example, http://localhost:5173",
    L2_CRON: "*/10 * * * *",
    L3_CRON: "off",
    LOG_LEVEL: "debug",
  });
  assert.equal(config.apiHost, "127.0.0.1");
  assert.equal(config.apiPort, 8080);
  assert.equal(config.store, "s3");
  assert.equal(config.dataDir, "/srv/data");
  assert.deepEqual(config.s3, {
    bucket: "radar.example",
    region: "eu-west-1",
    endpoint: "http://127.0.0.1:9000",
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "secret-value",
  });
  assert.equal(config.sourceEndpoint, "http://127.0.0.1:9001");
  assert.deepEqual(config.level2Sites, ["KPDT", "KOTX"]);
  assert.deepEqual(config.level3Sites, ["PDT", "OTX", "STL"]);
  assert.equal(config.processingWindowMinutes, 60);
  assert.equal(config.retentionMinutes, 90);
  assert.equal(config.flagToken, "0123456789abcdef0123");
  assert.deepEqual(config.corsOrigins, [
    "https://a.example",
    "http://localhost:5173",
  ]);
  assert.equal(config.level2Cron, "*/10 * * * *");
  assert.equal(config.level3Cron, null);
  assert.equal(config.logLevel, "debug");
});

Deno.test("loadConfig() names the invalid setting", () => {
  const cases: [Record<string, string>, string][] = [
    [{ API_PORT: "0" }, "API_PORT"],
    [{ API_PORT: "4000x" }, "API_PORT"],
    [{ API_PORT: "70000" }, "API_PORT"],
    [{ STORE: "disk" }, "STORE"],
    [{ STORE: "s3" }, "AWS_ACCESS_KEY_ID"],
    [{ STORE: "s3", AWS_ACCESS_KEY_ID: "x" }, "AWS_SECRET_ACCESS_KEY"],
    [{ PROJECT_S3_BUCKET: "Bad_Bucket" }, "PROJECT_S3_BUCKET"],
    [{ S3_ENDPOINT: "localhost:9000" }, "S3_ENDPOINT"],
    [{ S3_ENDPOINT: "http://user:pw@127.0.0.1" }, "S3_ENDPOINT"],
    [{ SOURCE_ENDPOINT: "ftp://x" }, "SOURCE_ENDPOINT"],
    [{ RADAR_SITE_L2: "PDT" }, "RADAR_SITE_L2"],
    [{ RADAR_SITE_L3: "KPDTX" }, "RADAR_SITE_L3"],
    // STL is the Level 3 id of TSTL (core/radar/sites.ts), and ABCD no site.
    [{ RADAR_SITE_L3: "KSTL" }, "RADAR_SITE_L3"],
    [{ RADAR_SITE_L3: "ABCD" }, "RADAR_SITE_L3"],
    // "ı" (dotless i) upper-cases to an ASCII I.
    [{ RADAR_SITE_L3: "tlı" }, "RADAR_SITE_L3"],
    [{ RADAR_SITE_L3: "PDT,,OTX" }, "RADAR_SITE_L3"],
    [{ PROCESSING_WINDOW_MINUTES: "-5" }, "PROCESSING_WINDOW_MINUTES"],
    [{ PROCESSING_WINDOW_MINUTES: "1.5" }, "PROCESSING_WINDOW_MINUTES"],
    [{ CLEANUP_WINDOW_MINUTES: "100" }, "CLEANUP_WINDOW_MINUTES"],
    [{ FLAG_TOKEN: "short" }, "FLAG_TOKEN"],
    [{ FLAG_TOKEN: "has space in it, long enough" }, "FLAG_TOKEN"],
    [{ CORS_ORIGINS: "https://a.example/path" }, "CORS_ORIGINS"],
    [{ CORS_ORIGINS: "a.example" }, "CORS_ORIGINS"],
    [{ L2_CRON: "every 5 minutes" }, "L2_CRON"],
    [{ L3_CRON: "* * * *" }, "L3_CRON"],
    [{ L2_CRON: "99 * * * *" }, "L2_CRON"],
    [{ L3_CRON: "*/5 * * * 1" }, "L3_CRON"],
    [{ API_HOST: "999.1.1.1" }, "API_HOST"],
    [{ API_HOST: "1.2.3" }, "API_HOST"],
    [{ API_HOST: "[::1]" }, "API_HOST"],
    [{ API_HOST: "gg::1" }, "API_HOST"],
    [{ API_HOST: "-bad.example" }, "API_HOST"],
    [{ API_HOST: "a..b" }, "API_HOST"],
    [{ API_HOST: "http://localhost" }, "API_HOST"],
    [{ LOG_LEVEL: "verbose" }, "LOG_LEVEL"],
  ];
  for (const [env, setting] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: Error) =>
        error instanceof ConfigError && error.setting === setting &&
        error.message.includes(setting),
      JSON.stringify(env),
    );
  }
});

Deno.test("loadConfig() accepts IP addresses and host names", () => {
  for (const host of ["0.0.0.0", "127.0.0.1", "::", "::1", "localhost"]) {
    assert.equal(loadConfig({ API_HOST: host }).apiHost, host);
  }
  assert.equal(
    loadConfig({ API_HOST: "api.example.org" }).apiHost,
    "api.example.org",
  );
});

Deno.test("loadConfig() treats empty values as unset", () => {
  const config = loadConfig({ API_PORT: "", FLAG_TOKEN: " ", STORE: "" });
  assert.equal(config.apiPort, 4000);
  assert.equal(config.flagToken, undefined);
  assert.equal(config.store, "fs");
});

Deno.test("describeConfig() leaves secrets out", () => {
  const config = loadConfig({
    STORE: "s3",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI-secret",
    FLAG_TOKEN: "flag-token-0123456789",
  });
  const line = describeConfig(config);
  assert.ok(!line.includes("AKIDEXAMPLE"), line);
  assert.ok(!line.includes("wJalrXUtnFEMI-secret"), line);
  assert.ok(!line.includes("flag-token-0123456789"), line);
  assert.match(line, /flagToken=\(set\)/);
  assert.match(line, /secretAccessKey=\(set\)/);
  assert.match(line, /bucket=nexrad-mapbox/);
});
