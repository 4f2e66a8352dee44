/**
 * Checks of cron schedules before they reach `Deno.cron`, which throws a
 * bare "Invalid cron schedule" at the call.
 *
 * The accepted syntax is the five-field crontab form, a subset of what
 * `Deno.cron` 2.9 accepts (it parses Quartz-like schedules): minute, hour,
 * day of month, month, day of week. A field is a comma-separated list of
 * `*`, a value or a range `a-b` (it may wrap, e.g. `FRI-MON`), each with
 * an optional step `/n`. The Quartz extensions `L`, `W` and `#` are not
 * accepted.
 *
 * @module
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names of the values from `min` on, e.g. JAN for 1. */
  names?: readonly string[];
  /** Whether plain numbers are accepted. */
  numbers: boolean;
}

// deno-fmt-ignore
const MONTHS = [
  "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
  "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
] as const;

const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

/**
 * The five fields. `Deno.cron` numbers days of the week from 1 to 7 and
 * rejects 0, unlike crontab's 0 to 6 from Sunday, so a number there could
 * mean either day: this field takes names only.
 */
const FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59, numbers: true },
  { name: "hour", min: 0, max: 23, numbers: true },
  { name: "day of month", min: 1, max: 31, numbers: true },
  { name: "month", min: 1, max: 12, names: MONTHS, numbers: true },
  { name: "day of week", min: 1, max: 7, names: WEEKDAYS, numbers: false },
];

/**
 * Checks a five-field cron schedule and returns it with single spaces.
 *
 * @throws {SyntaxError} Naming the field and the part that is invalid.
 */
export function parseCronSchedule(schedule: string): string {
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    throw new SyntaxError(
      `expected 5 fields (minute hour day-of-month month day-of-week), ` +
        `found ${parts.length}`,
    );
  }
  parts.forEach((part, i) => checkField(FIELDS[i], part));
  return parts.join(" ");
}

function checkField(field: CronField, part: string): void {
  for (const item of part.split(",")) {
    const [base, step, ...rest] = item.split("/");
    if (rest.length > 0) throw fieldError(field, item, "more than one '/'");
    if (base !== "*") {
      const ends = base.split("-");
      if (ends.length > 2) throw fieldError(field, item, "more than one '-'");
      for (const end of ends) checkValue(field, item, end);
    }
    if (step !== undefined) checkStep(field, item, step);
  }
}

function checkValue(field: CronField, item: string, value: string): void {
  const name = value.toUpperCase();
  if (field.names?.includes(name)) return;
  if (!/^\d{1,2}$/.test(value)) {
    const names = field.names === undefined
      ? ""
      : ` or ${field.names[0]} to ${field.names.at(-1)}`;
    const expected = field.numbers
      ? `${field.min} to ${field.max}${names}`
      : names.slice(4);
    throw fieldError(field, item, `expected ${expected}`);
  }
  if (!field.numbers) {
    throw fieldError(
      field,
      item,
      `give days by name (SUN to SAT): Deno.cron numbers them from 1, ` +
        "crontab from 0",
    );
  }
  const number = Number(value);
  if (number < field.min || number > field.max) {
    throw fieldError(
      field,
      item,
      `${value} is outside ${field.min} to ${field.max}`,
    );
  }
}

function checkStep(field: CronField, item: string, step: string): void {
  const span = field.max - field.min;
  const number = Number(step);
  if (!/^\d{1,2}$/.test(step) || number < 1 || number > span) {
    throw fieldError(field, item, `expected a step from 1 to ${span}`);
  }
}

function fieldError(field: CronField, item: string, detail: string) {
  return new SyntaxError(`${field.name} "${item}": ${detail}`);
}
