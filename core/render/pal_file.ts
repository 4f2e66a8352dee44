/**
 * Reader of GRLevelX / Weather and Climate Toolkit colour table files
 * (`.pal`).
 *
 * Each line is `Keyword: values`; `;` starts a comment. Keywords, case
 * insensitive: `Product`, `Units`, `Scale`, `Offset`, `Step`, `RF`
 * (red green blue), `Color` (value r g b, optionally r2 g2 b2),
 * `Color4` (value r g b a, optionally r2 g2 b2 a2), `SolidColor`
 * (value r g b) and `SolidColor4` (value r g b a). `Scale` and `Offset`
 * convert the physical value into table units: value x scale + offset.
 *
 * @module
 */

import type { ColourStop, ColourTable, Rgba } from "./colour_table.ts";

const KEYWORDS = [
  "Product",
  "Units",
  "Scale",
  "Offset",
  "Step",
  "RF",
  "Color",
  "Color4",
  "SolidColor",
  "SolidColor4",
] as const;
type Keyword = typeof KEYWORDS[number];

/** Shapes of the colour statements: numbers allowed, alpha present. */
const COLOUR_SHAPES: Partial<
  Record<Keyword, { counts: number[]; alpha: boolean; solid: boolean }>
> = {
  Color: { counts: [4, 7], alpha: false, solid: false },
  Color4: { counts: [5, 9], alpha: true, solid: false },
  SolidColor: { counts: [4], alpha: false, solid: true },
  SolidColor4: { counts: [5, 9], alpha: true, solid: true },
};

/**
 * Parses the text of a `.pal` file.
 *
 * @param text The file's contents.
 * @param source File name for error messages.
 * @returns The table, its stops sorted by value.
 * @throws {SyntaxError} A line cannot be read; the message names the file,
 * the line number and what was expected.
 */
export function parsePalFile(text: string, source: string): ColourTable {
  const table: ColourTable = {
    product: "",
    units: "",
    scale: 1,
    offset: 0,
    step: null,
    rangeFolded: null,
    stops: [],
    categorical: false,
  };
  const seenOn = new Map<Keyword, number>();
  const stopLines = new Map<ColourStop, number>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);

  lines.forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const fail = (problem: string): never => {
      throw new SyntaxError(`${source} line ${lineNumber}: ${problem}`);
    };
    const line = rawLine.replace(/;.*$/, "").trim();
    if (line === "") return;
    const colon = line.indexOf(":");
    if (colon < 0) fail(`expected "Keyword: values", got "${line}"`);
    const keyword = KEYWORDS.find((name) =>
      name.toLowerCase() === line.slice(0, colon).trim().toLowerCase()
    );
    if (keyword === undefined) {
      fail(
        `unknown keyword "${line.slice(0, colon).trim()}", expected one of ` +
          KEYWORDS.join(", "),
      );
    }
    const rest = line.slice(colon + 1).trim();
    const shape = COLOUR_SHAPES[keyword!];
    if (shape !== undefined) {
      const stop = readStop(rest, shape, fail);
      table.stops.push(stop);
      stopLines.set(stop, lineNumber);
      return;
    }
    const first = seenOn.get(keyword!);
    if (first !== undefined) fail(`${keyword} repeats line ${first}`);
    seenOn.set(keyword!, lineNumber);
    switch (keyword) {
      case "Product":
        table.product = rest;
        break;
      case "Units":
        table.units = rest;
        break;
      case "Scale":
        table.scale = readNumbers(rest, [1], fail)[0];
        if (table.scale === 0) fail("Scale must not be 0");
        break;
      case "Offset":
        table.offset = readNumbers(rest, [1], fail)[0];
        break;
      case "Step":
        table.step = readNumbers(rest, [1], fail)[0];
        if (!(table.step > 0)) fail(`Step must be positive, got ${rest}`);
        break;
      case "RF": {
        const numbers = readNumbers(rest, [3, 4], fail);
        table.rangeFolded = readColour(numbers, numbers.length === 4, fail);
        break;
      }
    }
  });

  if (table.stops.length === 0) {
    throw new SyntaxError(
      `${source}: no Color, Color4, SolidColor or SolidColor4 line`,
    );
  }
  table.stops.sort((a, b) => a.value - b.value);
  for (let i = 1; i < table.stops.length; i++) {
    if (table.stops[i].value === table.stops[i - 1].value) {
      throw new SyntaxError(
        `${source} line ${stopLines.get(table.stops[i])}: value ` +
          `${table.stops[i].value} repeats line ` +
          `${stopLines.get(table.stops[i - 1])}`,
      );
    }
  }
  return table;
}

type Fail = (problem: string) => never;

function readStop(
  rest: string,
  shape: { counts: number[]; alpha: boolean; solid: boolean },
  fail: Fail,
): ColourStop {
  const numbers = readNumbers(rest, shape.counts, fail);
  const width = shape.alpha ? 4 : 3;
  const stop: ColourStop = {
    value: numbers[0],
    colour: readColour(numbers.slice(1, 1 + width), shape.alpha, fail),
    solid: shape.solid,
  };
  if (numbers.length > 1 + width) {
    stop.endColour = readColour(numbers.slice(1 + width), shape.alpha, fail);
  }
  return stop;
}

function readNumbers(rest: string, counts: number[], fail: Fail): number[] {
  const words = rest.split(/[\s,]+/).filter((word) => word !== "");
  if (!counts.includes(words.length)) {
    fail(
      `expected ${counts.join(" or ")} numbers, got ${words.length} ` +
        `("${rest}")`,
    );
  }
  return words.map((word) => {
    const number = Number(word);
    if (!Number.isFinite(number)) fail(`"${word}" is not a number`);
    return number;
  });
}

function readColour(numbers: number[], alpha: boolean, fail: Fail): Rgba {
  for (const channel of numbers) {
    if (!Number.isInteger(channel) || channel < 0 || channel > 255) {
      fail(`colour components must be integers 0 to 255, got ${channel}`);
    }
  }
  return [numbers[0], numbers[1], numbers[2], alpha ? numbers[3] : 255];
}
