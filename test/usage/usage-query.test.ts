import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/errors/gateway-error.ts";
import { parseUsageQuery } from "../../src/usage/usage-query.ts";

const parse = (qs: string) => parseUsageQuery(new URLSearchParams(qs));

function errorOf(qs: string): GatewayError {
  try {
    parse(qs);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`expected ${qs} to be rejected`);
}

describe("parseUsageQuery", () => {
  test("no parameters: everything, no grouping", () => {
    expect(parse("")).toEqual({ groupBy: [] });
  });

  test("group_by as a comma list and repeated, de-duplicated, order kept", () => {
    expect(parse("group_by=model,key&group_by=day&group_by=model").groupBy).toEqual(["model", "key", "day"]);
  });

  test("bare dates: from is that midnight UTC, to includes that whole day", () => {
    const q = parse("from=2025-01-01&to=2025-01-31");
    expect(q.from?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(q.to?.toISOString()).toBe("2025-02-01T00:00:00.000Z");
  });

  test("date-times with offsets and Unix seconds", () => {
    expect(parse("from=2025-01-01T12:00:00%2B02:00").from?.toISOString()).toBe("2025-01-01T10:00:00.000Z");
    expect(parse("to=1736935200").to?.toISOString()).toBe("2025-01-15T10:00:00.000Z");
  });

  test("bad values are 400s naming the parameter", () => {
    for (const [qs, param] of [
      ["from=yesterday", "from"],
      ["to=2025-13-45", "to"],
      ["from=2025-01-01T10:00:00", "from"], // no offset: ambiguous
      ["group_by=user", "group_by"],
      ["from=2025-02-01&to=2025-01-01", "from"],
      ["limit=10", "limit"],
    ] as const) {
      const error = errorOf(qs);
      expect(error.status).toBe(400);
      expect(error.kind).toBe("invalid_request");
      expect(error.param).toBe(param);
      expect(error.message).toContain(param === "from" && qs.includes("to=") ? "from" : param);
    }
  });
});
