/**
 * Command-line arguments of `jobs/cli.ts`:
 *
 * ```sh
 * deno task l2                       # one pass over the last window
 * deno task l2 --site KTLX --start 2013-05-20T19:00Z --end 2013-05-20T21:00Z
 * deno task l2 --file a_V06 b_V06    # local files, same processing
 * deno task l3 --site LOT,TLX
 * ```
 *
 * @module
 */

import {
  asciiUpperCase,
  level3IdOf,
  level3SiteProblem,
} from "../core/source/sites.ts";

/** What one run of the CLI does. */
export interface JobRequest {
  level: 2 | 3;
  /** Sites from `--site` (repeatable or comma-separated); null for the configured ones. */
  sites: string[] | null;
  /** Explicit time range; null for the window back from now. */
  range: { start: Date; end: Date } | null;
  /** Local files to process instead of the archive. */
  files: string[];
}

/** Help text of the CLI. */
export const USAGE = `Usage: deno task l2|l3 [options] [--file PATH...]

  --site ID      Radar site (KTLX for Level 2, TLX or KTLX for Level 3);
                 repeat or separate with commas. Default: RADAR_SITE_L2/L3.
  --start TIME   Start of a past range, ISO 8601 UTC (2013-05-20T19:00Z).
  --end TIME     End of that range; default: start + PROCESSING_WINDOW_MINUTES.
  --file PATH    Process local files instead of the archive (no --site,
                 --start or --end: each file names its site and time);
                 a folder stands for the files under it.
                 The real-time chunks of one volume
                 (YYYYMMDD-HHMMSS-NNN-S, -I, -E) are joined into one volume.
  --help         Print this help.`;

/**
 * Parses the CLI arguments; the first is "l2" or "l3".
 *
 * @throws {TypeError} For an unknown option, a bad time or a bad combination.
 */
export function parseJobArgs(
  args: readonly string[],
  windowMinutes: number,
): JobRequest {
  const [command, ...rest] = args;
  if (command !== "l2" && command !== "l3") {
    throw new TypeError(`Invalid command "${command}": expected l2 or l3`);
  }
  const { values, positionals } = splitOptions(rest);

  const files = [...values.file ?? [], ...positionals];
  if (positionals.length > 0 && values.file === undefined) {
    throw new TypeError(
      `Invalid argument "${positionals[0]}": put --file before local files`,
    );
  }
  // Level 2 sites are ICAO ids. Level 3 keys use their last three letters,
  // so Level 3 takes either. An empty item ("PDT,,TLX") is invalid, as in
  // RADAR_SITE_L2 and _L3.
  const [pattern, example] = command === "l2"
    ? [/^[A-Z]{4}$/, "a site id of 4 letters such as KTLX"]
    : [/^[A-Z]{3,4}$/, "a site id such as TLX or KTLX"];
  const sites = values.site?.flatMap((value) =>
    value.split(",").map((id) => {
      const site = asciiUpperCase(id.trim());
      if (!pattern.test(site)) {
        throw new TypeError(
          `Invalid --site "${site || value}": expected ${example}`,
        );
      }
      return site;
    })
  ) ?? null;
  for (const site of command === "l3" ? sites ?? [] : []) {
    const problem = level3SiteProblem(site);
    if (problem !== null) {
      throw new TypeError(`Invalid --site "${site}": ${problem}`);
    }
  }

  if (sites !== null && files.length > 0) {
    throw new TypeError(
      "Invalid arguments: --file takes no --site, as each file names its site",
    );
  }

  let range: JobRequest["range"] = null;
  if (values.start !== undefined || values.end !== undefined) {
    if (files.length > 0) {
      throw new TypeError(
        "Invalid arguments: --file takes no --start or --end",
      );
    }
    const start = values.start === undefined
      ? null
      : parseTime("--start", values.start.at(-1)!);
    const end = values.end === undefined
      ? null
      : parseTime("--end", values.end.at(-1)!);
    const windowMs = windowMinutes * 60_000;
    range = {
      start: start ?? new Date(end!.getTime() - windowMs),
      end: end ?? new Date(start!.getTime() + windowMs),
    };
    if (range.end <= range.start) {
      throw new TypeError(
        `Invalid range: --end ${range.end.toISOString()} is not after --start ${range.start.toISOString()}`,
      );
    }
  }

  // Each site once, and Level 3 sites by the id of their keys, as the
  // settings give them.
  const unique = sites === null
    ? null
    : [...new Set(command === "l3" ? sites.map(level3IdOf) : sites)];
  return { level: command === "l2" ? 2 : 3, sites: unique, range, files };
}

/**
 * Expands the paths given to `--file`: a folder stands for the regular
 * files in it and in its subfolders, in name order, without names that
 * start with a dot. Inside a folder, a symbolic link to a file is kept and
 * one to a folder is not followed. A FIFO, socket or device is left out,
 * because reading it could block or never end. A path given that is not a
 * readable folder, or a folder without files, is kept as given, so that
 * its input fails with the system's message.
 */
export async function expandFilePaths(
  paths: readonly string[],
): Promise<string[]> {
  const files: string[] = [];
  const addFolder = async (folder: string): Promise<void> => {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(folder)) names.push(entry.name);
    } catch {
      return;
    }
    const prefix = folder.endsWith("/") ? folder : `${folder}/`;
    for (const name of names.sort()) {
      if (name.startsWith(".")) continue;
      const path = prefix + name;
      const kind = await kindInFolder(path);
      if (kind === "folder") await addFolder(path);
      else if (kind === "file") files.push(path);
    }
  };
  for (const path of paths) {
    const count = files.length;
    if (await isFolder(path)) await addFolder(path);
    // A folder without files fails as one input instead of vanishing.
    if (files.length === count) files.push(path);
  }
  return files;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** Returns whether a path found in a folder is a folder, a file or neither. */
async function kindInFolder(path: string): Promise<"folder" | "file" | null> {
  try {
    const info = await Deno.lstat(path);
    if (info.isDirectory) return "folder";
    if (info.isFile) return "file";
    if (info.isSymlink && (await Deno.stat(path)).isFile) return "file";
  } catch {
    // A link to nothing, or a file gone since the folder was read.
  }
  return null;
}

/** The options of the CLI, each of which takes a value. */
const OPTIONS = ["site", "start", "end", "file"] as const;
type OptionName = typeof OPTIONS[number];

/**
 * Splits `--name value` and `--name=value` options from positional
 * arguments. Everything after `--` is positional, and before it any other
 * argument that starts with "-" is an unknown option. Written here rather
 * than with node:util's parseArgs, whose import took 10 ms of every run.
 *
 * @throws {TypeError} For an unknown option or a missing value.
 */
function splitOptions(args: readonly string[]): {
  values: Partial<Record<OptionName, string[]>>;
  positionals: string[];
} {
  const values: Partial<Record<OptionName, string[]>> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith("--")) {
      throw new TypeError(`Unknown option "${arg}"`);
    }
    const equals = arg.indexOf("=");
    const name = arg.slice(2, equals < 0 ? undefined : equals);
    if (!(OPTIONS as readonly string[]).includes(name)) {
      throw new TypeError(`Unknown option "--${name}"`);
    }
    const value = equals < 0 ? args[++i] : arg.slice(equals + 1);
    if (value === undefined || (equals < 0 && value.startsWith("-"))) {
      throw new TypeError(`Invalid option "--${name}": expected a value`);
    }
    (values[name as OptionName] ??= []).push(value);
  }
  return { values, positionals };
}

/** Parses an ISO 8601 UTC time, minutes or seconds, with a final Z. */
function parseTime(option: string, value: string): Date {
  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(value);
  const time = new Date(value);
  if (!iso || Number.isNaN(time.getTime())) {
    throw new TypeError(
      `Invalid ${option} "${value}": expected an ISO 8601 UTC time such as 2013-05-20T19:00Z`,
    );
  }
  return time;
}
