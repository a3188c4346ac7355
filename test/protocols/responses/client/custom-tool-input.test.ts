import { describe, expect, test } from "bun:test";
import {
  CustomToolInputReader,
  readCustomToolInput,
} from "../../../../src/protocols/responses/custom-tool-input.ts";

/** Feeds the chunks in order; returns what each push gave back. */
function feed(chunks: string[]): { deltas: string[]; entered: boolean } {
  const reader = new CustomToolInputReader();
  const deltas = chunks.map((c) => reader.push(c));
  return { deltas, entered: reader.entered };
}

describe("CustomToolInputReader: the `input` string of streamed arguments, as raw text", () => {
  test("the opening may be split anywhere and spaced; the text streams as it arrives", () => {
    expect(feed(['{"in', 'put": ', '"SELECT', " * FROM", ' users"', "}"])).toEqual({
      deltas: ["", "", "SELECT", " * FROM", " users", ""],
      entered: true,
    });
    expect(feed(['{ "input" :\n "a', 'b"}'])).toEqual({ deltas: ["a", "b"], entered: true });
  });

  test("escapes are decoded, also when split across chunks", () => {
    expect(feed(['{"input":"a\\', 'nb\\"c\\\\', "d\\u00", 'e9\\t"}'])).toEqual({
      deltas: ["a", '\nb"c\\', "d", "é\t"],
      entered: true,
    });
  });

  test("a surrogate pair split between chunks is held back until whole", () => {
    const reader = new CustomToolInputReader();
    expect(reader.push('{"input":"x\\ud83d')).toBe("x");
    expect(reader.push('\\ude00y"}')).toBe("😀y");
  });

  test("arguments of another shape are not streamed", () => {
    expect(feed(['{"reason":"x","input":"y"}'])).toEqual({ deltas: [""], entered: false });
    expect(feed(["SELECT 1"])).toEqual({ deltas: [""], entered: false });
    expect(feed(['{"in put":"y"}'])).toEqual({ deltas: [""], entered: false });
  });
});

describe("readCustomToolInput", () => {
  test("the string of complete arguments, whatever their key order", () => {
    expect(readCustomToolInput('{"input":"4 + 4"}')).toBe("4 + 4");
    expect(readCustomToolInput('{"reason":"x","input":"y"}')).toBe("y");
  });

  test("arguments cut short: as much of the string as arrived", () => {
    expect(readCustomToolInput('{"input":"SELECT * FR')).toBe("SELECT * FR");
  });

  test("arguments without a string input: the arguments as they are", () => {
    expect(readCustomToolInput("SELECT 1")).toBe("SELECT 1");
    expect(readCustomToolInput('{"input":5}')).toBe('{"input":5}');
    expect(readCustomToolInput("{}")).toBe("{}");
  });
});
