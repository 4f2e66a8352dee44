/**
 * The report format shared by the benchmark sections of `bench/main.ts`.
 *
 * @module
 */

/** One section of the benchmark report: a titled table plus notes. */
export interface BenchTable {
  title: string;
  columns: string[];
  /** Cells already formatted; numbers are right-aligned. */
  rows: (string | number)[][];
  /** Lines printed under the table: method, units, caveats. */
  notes?: string[];
}

/** Formats `table` as aligned plain-text columns. */
export function formatTable(table: BenchTable): string {
  const cells = [table.columns, ...table.rows].map((row) =>
    row.map((cell) => String(cell))
  );
  const widths = table.columns.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? "").length))
  );
  const numeric = table.columns.map((_, column) =>
    table.rows.every((row) => typeof row[column] === "number")
  );
  const line = (row: string[]) =>
    row.map((cell, column) =>
      numeric[column]
        ? cell.padStart(widths[column])
        : cell.padEnd(widths[column])
    ).join("  ").trimEnd();

  const lines = [
    `## ${table.title}`,
    "",
    line(cells[0]),
    line(widths.map((width) => "-".repeat(width))),
    ...cells.slice(1).map(line),
  ];
  if (table.notes !== undefined) lines.push("", ...table.notes);
  return lines.join("\n");
}

/** Rounds `value` to `digits` decimals, as a number for alignment. */
export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
