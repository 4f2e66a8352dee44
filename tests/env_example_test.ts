import assert from "node:assert/strict";
import { loadConfig } from "../core/config.ts";
import { loadJobSettings } from "../jobs/settings.ts";

const ROOT = new URL("../", import.meta.url);

/** Settings of .env.example: set ones, and commented-out `# NAME=` ones. */
function readEnvExample() {
  const text = Deno.readTextFileSync(new URL(".env.example", ROOT));
  const set: Record<string, string> = {};
  const commented: string[] = [];
  for (const line of text.split("\n")) {
    const active = line.match(/^([A-Z0-9_]+)=(.*)$/);
    if (active) set[active[1]] = active[2];
    const inactive = line.match(/^# ([A-Z0-9_]+)=/);
    if (inactive) commented.push(inactive[1]);
  }
  return { set, commented };
}

/** Variables of the README's settings tables (first column). */
function readmeSettings(): string[] {
  const text = Deno.readTextFileSync(new URL("README.md", ROOT));
  const names = new Set<string>();
  for (
    const row of text.matchAll(/^\| (`[A-Z0-9_]+`(?:, `[A-Z0-9_]+`)*) +\|/gm)
  ) {
    for (const name of row[1].matchAll(/`([A-Z0-9_]+)`/g)) names.add(name[1]);
  }
  return [...names].sort();
}

Deno.test(".env.example lists every README setting", () => {
  const { set, commented } = readEnvExample();
  const listed = [...Object.keys(set), ...commented].sort();
  const documented = readmeSettings();
  assert.ok(documented.length >= 20, `${documented.length} README settings`);
  assert.deepEqual(listed, documented);
});

Deno.test(".env.example loads as valid settings", () => {
  const { set } = readEnvExample();
  const config = loadConfig(set);
  const settings = loadJobSettings(set);
  // The values are the defaults: the same as with no variables at all.
  assert.deepEqual(config, loadConfig({}));
  assert.deepEqual(settings, loadJobSettings({}));
});
