/**
 * Settings of the server and the jobs, read from environment variables
 * (`deno task start` loads `.env` with `--env-file`). The names and
 * defaults of the Python service this replaces are kept.
 *
 * @module
 */

import { parseCronSchedule } from "./cron.ts";
import { isLogLevel, type LogLevel } from "./logger.ts";
import {
  asciiUpperCase,
  level3IdOf,
  level3SiteProblem,
} from "./source/sites.ts";

/** Kind of store: a local folder (`fs`) or an S3 bucket (`s3`). */
export type StoreKind = "fs" | "s3";

/** Settings of the S3 store, and of the project bucket. */
export interface S3Config {
  /** `PROJECT_S3_BUCKET`. */
  bucket: string;
  /** `AWS_REGION`. */
  region: string;
  /** `S3_ENDPOINT`: a non-AWS server, addressed path-style. */
  endpoint?: string;
  /** `AWS_ACCESS_KEY_ID`. */
  accessKeyId?: string;
  /** `AWS_SECRET_ACCESS_KEY`. */
  secretAccessKey?: string;
}

/** All settings; see the README for each variable and its default. */
export interface Config {
  /** `API_HOST`: address the API listens on. */
  apiHost: string;
  /** `API_PORT`. */
  apiPort: number;
  /** `STORE`. */
  store: StoreKind;
  /** `DATA_DIR`: root folder of the filesystem store. */
  dataDir: string;
  s3: S3Config;
  /** `RADAR_SITE_L2`: 4-letter ICAO ids, e.g. ["KPDT"]. */
  level2Sites: string[];
  /** `RADAR_SITE_L3`: 3-letter Level 3 bucket ids, e.g. ["PDT"]. */
  level3Sites: string[];
  /** `PROCESSING_WINDOW_MINUTES`: how far back the jobs look for new data. */
  processingWindowMinutes: number;
  /**
   * `CLEANUP_WINDOW_MINUTES`: how long data is kept. The jobs drop a list
   * entry and its PNG and JSON objects together once the entry's data time
   * is this many minutes older than the newest entry of its site. At least
   * the processing window, so that the jobs never fetch again what they
   * have just removed.
   */
  retentionMinutes: number;
  /** `SOURCE_ENDPOINT`: replaces the public NEXRAD buckets' endpoint. */
  sourceEndpoint?: string;
  /** `FLAG_TOKEN`: bearer token for POST /flag/; POST is off without it. */
  flagToken?: string;
  /** `CORS_ORIGINS`: "*" or the list of allowed origins. */
  corsOrigins: "*" | string[];
  /** `L2_CRON`: Level 2 job schedule, or null when set to "off". */
  level2Cron: string | null;
  /** `L3_CRON`: Level 3 job schedule, or null when set to "off". */
  level3Cron: string | null;
  /** `LOG_LEVEL`: lowest level written. */
  logLevel: LogLevel;
}

/** Environment variables by name, e.g. `Deno.env.toObject()`. */
export type Environment = Record<string, string | undefined>;

/** A setting that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  /** Name of the environment variable. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.name = "ConfigError";
    this.setting = setting;
  }
}

/** Shortest accepted `FLAG_TOKEN`, so that it cannot be guessed. */
export const MIN_FLAG_TOKEN_LENGTH = 16;

const DEFAULT_CRON = "*/5 * * * *";

/**
 * Reads and checks all settings. Unset or empty variables take their
 * defaults.
 *
 * @throws {ConfigError} naming the first invalid setting.
 */
export function loadConfig(env: Environment): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };

  const processingWindowMinutes = readMinutes(
    "PROCESSING_WINDOW_MINUTES",
    read("PROCESSING_WINDOW_MINUTES"),
    180,
  );
  const retentionMinutes = readMinutes(
    "CLEANUP_WINDOW_MINUTES",
    read("CLEANUP_WINDOW_MINUTES"),
    Math.min(processingWindowMinutes + 60, MAX_WINDOW_MINUTES),
  );
  if (retentionMinutes < processingWindowMinutes) {
    throw invalid(
      "CLEANUP_WINDOW_MINUTES",
      `${retentionMinutes} is shorter than PROCESSING_WINDOW_MINUTES ` +
        `(${processingWindowMinutes}): the jobs would fetch again what ` +
        "cleanup removed",
    );
  }

  const config: Config = {
    apiHost: readHost(read("API_HOST")),
    apiPort: readPort(read("API_PORT")),
    store: readStoreKind(read("STORE")),
    dataDir: read("DATA_DIR") ?? "./data",
    s3: {
      bucket: readBucket(read("PROJECT_S3_BUCKET")),
      region: read("AWS_REGION") ?? "us-east-1",
      endpoint: readUrl("S3_ENDPOINT", read("S3_ENDPOINT")),
      accessKeyId: read("AWS_ACCESS_KEY_ID"),
      secretAccessKey: read("AWS_SECRET_ACCESS_KEY"),
    },
    level2Sites: readSites("RADAR_SITE_L2", read("RADAR_SITE_L2"), 4, "KPDT"),
    level3Sites: readSites("RADAR_SITE_L3", read("RADAR_SITE_L3"), 3, "PDT"),
    processingWindowMinutes,
    retentionMinutes,
    sourceEndpoint: readUrl("SOURCE_ENDPOINT", read("SOURCE_ENDPOINT")),
    flagToken: readFlagToken(read("FLAG_TOKEN")),
    corsOrigins: readOrigins(read("CORS_ORIGINS")),
    level2Cron: readCron("L2_CRON", read("L2_CRON")),
    level3Cron: readCron("L3_CRON", read("L3_CRON")),
    logLevel: readLogLevel(read("LOG_LEVEL")),
  };

  if (config.store === "s3") checkS3Credentials(config.s3);
  return config;
}

/**
 * Returns the settings as one line for the log, with secrets replaced by
 * "(set)" or "(unset)".
 */
export function describeConfig(config: Config): string {
  const secret = (value: string | undefined) =>
    value === undefined ? "(unset)" : "(set)";
  const store = config.store === "fs"
    ? `fs ${config.dataDir}`
    : `s3 bucket=${config.s3.bucket} region=${config.s3.region}` +
      ` endpoint=${config.s3.endpoint ?? "(AWS)"}` +
      ` accessKeyId=${secret(config.s3.accessKeyId)}` +
      ` secretAccessKey=${secret(config.s3.secretAccessKey)}`;
  const origins = config.corsOrigins === "*"
    ? "*"
    : config.corsOrigins.join(",");

  return [
    `listen=${config.apiHost}:${config.apiPort}`,
    `store=${store}`,
    `sitesL2=${config.level2Sites.join(",")}`,
    `sitesL3=${config.level3Sites.join(",")}`,
    `windowMinutes=${config.processingWindowMinutes}`,
    `retentionMinutes=${config.retentionMinutes}`,
    `source=${config.sourceEndpoint ?? "(public buckets)"}`,
    `flagToken=${secret(config.flagToken)}`,
    `corsOrigins=${origins}`,
    `cronL2=${config.level2Cron ?? "off"}`,
    `cronL3=${config.level3Cron ?? "off"}`,
    `logLevel=${config.logLevel}`,
  ].join(" ");
}

/**
 * Checks `API_HOST`: an IPv4 address, an IPv6 address (without brackets)
 * or a host name (RFC 1123 labels). Names whose labels are all digits are
 * read as IPv4 addresses, so "999.1.1.1" is rejected, not looked up.
 */
function readHost(value: string | undefined): string {
  const host = value ?? "0.0.0.0";
  const expected = "expected an IPv4 address, an IPv6 address or a host " +
    `name such as "0.0.0.0", "::" or "localhost", found "${host}"`;
  if (/^[\d.]+$/.test(host)) {
    if (!isIpv4(host)) throw invalid("API_HOST", expected);
    return host;
  }
  if (host.includes(":")) {
    if (!isIpv6(host)) throw invalid("API_HOST", expected);
    return host;
  }
  const label = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
  const labels = host.replace(/\.$/, "").split(".");
  if (host.length > 253 || !labels.every((part) => label.test(part))) {
    throw invalid("API_HOST", expected);
  }
  return host;
}

function isIpv4(host: string): boolean {
  const octets = host.split(".");
  return octets.length === 4 &&
    octets.every((octet) => /^(0|[1-9]\d{0,2})$/.test(octet) && +octet < 256);
}

/** Uses the WHATWG URL parser, which implements the IPv6 grammar. */
function isIpv6(host: string): boolean {
  if (!/^[\dA-Fa-f:.]+$/.test(host)) return false;
  try {
    return new URL(`http://[${host}]/`).hostname !== "";
  } catch {
    return false;
  }
}

function readPort(value: string | undefined): number {
  const port = value === undefined ? 4000 : Number(value);
  if (!/^\d+$/.test(value ?? "4000") || port < 1 || port > 65535) {
    throw invalid(
      "API_PORT",
      `expected an integer from 1 to 65535, found "${value}"`,
    );
  }
  return port;
}

/** Maximum processing or cleanup window: 7 days. */
const MAX_WINDOW_MINUTES = 7 * 24 * 60;

function readMinutes(
  name: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const minutes = Number(value);
  if (!/^\d+$/.test(value) || minutes < 1 || minutes > MAX_WINDOW_MINUTES) {
    throw invalid(
      name,
      `expected whole minutes from 1 to 10080 (7 days), found "${value}"`,
    );
  }
  return minutes;
}

function readStoreKind(value: string | undefined): StoreKind {
  if (value === undefined || value === "fs" || value === "s3") {
    return value ?? "fs";
  }
  throw invalid("STORE", `expected "fs" or "s3", found "${value}"`);
}

/** S3 bucket naming rules: 3-63 lowercase letters, digits, dots, hyphens. */
function readBucket(value: string | undefined): string {
  const bucket = value ?? "nexrad-mapbox";
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw invalid(
      "PROJECT_S3_BUCKET",
      `expected 3 to 63 lowercase letters, digits, "." or "-", found ` +
        `"${bucket}"`,
    );
  }
  return bucket;
}

function readUrl(name: string, value: string | undefined) {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(name, `expected an http(s) URL, found "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid(name, `expected an http(s) URL, found "${value}"`);
  }
  if (url.username !== "" || url.password !== "") {
    throw invalid(
      name,
      "credentials in the URL are not allowed; use AWS_ACCESS_KEY_ID and " +
        "AWS_SECRET_ACCESS_KEY",
    );
  }
  return value.replace(/\/+$/, "");
}

/**
 * Reads comma-separated site ids of `letters` letters. With 3, an ICAO id
 * (KPDT, TSTL) is also taken and becomes its Level 3 id (PDT, STL).
 */
function readSites(
  name: string,
  value: string | undefined,
  letters: 3 | 4,
  fallback: string,
): string[] {
  const sites = (value ?? fallback).split(",").map((site) =>
    asciiUpperCase(site.trim())
  );
  if (letters === 4) {
    const bad = sites.find((site) => !/^[A-Z]{4}$/.test(site));
    if (bad !== undefined) {
      throw invalid(
        name,
        `expected comma-separated 4-letter site ids, found "${bad}"`,
      );
    }
    return [...new Set(sites)];
  }
  for (const site of sites) {
    const problem = level3SiteProblem(site);
    if (problem !== null) throw invalid(name, `"${site}": ${problem}`);
  }
  return [...new Set(sites.map(level3IdOf))];
}

function readFlagToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // The characters RFC 6750 allows in a bearer token.
  if (!/^[A-Za-z0-9._~+/-]+=*$/.test(value)) {
    throw invalid(
      "FLAG_TOKEN",
      "expected letters, digits and ._~+/- only (a bearer token)",
    );
  }
  if (value.length < MIN_FLAG_TOKEN_LENGTH) {
    throw invalid(
      "FLAG_TOKEN",
      `expected at least ${MIN_FLAG_TOKEN_LENGTH} characters, found ` +
        `${value.length}; generate one with "openssl rand -hex 32"`,
    );
  }
  return value;
}

function readOrigins(value: string | undefined): "*" | string[] {
  if (value === undefined || value === "*") return "*";
  return value.split(",").map((entry) => {
    const origin = entry.trim();
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // Reported below.
    }
    if (parsed === null || parsed.origin !== origin) {
      throw invalid(
        "CORS_ORIGINS",
        `expected "*" or comma-separated origins such as ` +
          `"https://example.org", found "${origin}"`,
      );
    }
    return origin;
  });
}

/** Parses a schedule: "off", or a five-field cron schedule (core/cron.ts). */
function readCron(name: string, value: string | undefined): string | null {
  if (value === "off") return null;
  const schedule = value ?? DEFAULT_CRON;
  try {
    return parseCronSchedule(schedule);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw invalid(
      name,
      `expected "off" or a cron schedule such as "*/5 * * * *", found ` +
        `"${schedule}": ${error.message}`,
    );
  }
}

function readLogLevel(value: string | undefined): LogLevel {
  if (value === undefined) return "info";
  if (isLogLevel(value)) return value;
  throw invalid(
    "LOG_LEVEL",
    `expected debug, info, warn or error, found "${value}"`,
  );
}

function checkS3Credentials(s3: S3Config) {
  for (
    const [name, value] of [
      ["AWS_ACCESS_KEY_ID", s3.accessKeyId],
      ["AWS_SECRET_ACCESS_KEY", s3.secretAccessKey],
    ] as const
  ) {
    if (value === undefined) {
      throw new ConfigError(name, `Missing ${name}: required when STORE=s3`);
    }
  }
}

function invalid(name: string, detail: string): ConfigError {
  return new ConfigError(name, `Invalid ${name}: ${detail}`);
}
