import { describe, expect, test } from "bun:test";
import { headerList, headerSafe, MAX_HEADER_VALUE } from "../../src/gateway/header-value.ts";

describe("header values from client-controlled text", () => {
  test("visible ASCII is kept as is", () => {
    expect(headerSafe("gpt-4o-mini/2024:x")).toBe("gpt-4o-mini/2024:x");
  });

  test("control characters, non-ASCII and emoji are percent-encoded, so Headers accepts them", () => {
    for (const value of ["a\nb", "a\u0001b", "模型", "🤖 model", "x\r\nset-cookie: y"]) {
      const safe = headerSafe(value);
      expect(() => new Headers({ "x-test": safe })).not.toThrow();
      expect(decodeURIComponent(safe)).toBe(value);
    }
  });

  test("no value exceeds the cap", () => {
    expect(headerSafe("x".repeat(100_000)).length).toBeLessThanOrEqual(MAX_HEADER_VALUE);
    expect(headerSafe("模".repeat(100_000)).length).toBeLessThanOrEqual(MAX_HEADER_VALUE);
  });

  test("lists show the first 20 names, then how many more", () => {
    const names = Array.from({ length: 5000 }, (_, i) => `field_${i}`);
    const value = headerList(names);
    expect(value.startsWith("field_0, field_1,")).toBe(true);
    expect(value.endsWith("field_19, ...+4980")).toBe(true);
    expect(headerList(["a", "b"])).toBe("a, b");
  });
});
