import { describe, expect, test } from "bun:test";
import { readRetryAfterMs, saneRetryAfter, toRetryAfterHeader } from "../../src/routing/retry-after.ts";

const now = Date.parse("2026-01-01T00:00:00Z");

test("Retry-After in seconds, as an HTTP date, and retry-after-ms", () => {
  expect(readRetryAfterMs(new Headers({ "retry-after": "3" }), now)).toBe(3000);
  expect(readRetryAfterMs(new Headers({ "retry-after": "0.5" }), now)).toBe(500);
  expect(readRetryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }), now)).toBe(10_000);
  expect(readRetryAfterMs(new Headers({ "retry-after-ms": "1500", "retry-after": "2" }), now)).toBe(1500);
});

test("absent, unreadable or past values", () => {
  expect(readRetryAfterMs(new Headers(), now)).toBeUndefined();
  expect(readRetryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
  expect(readRetryAfterMs(new Headers({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }), now)).toBe(0);
});

test("header values are whole seconds, at least 1", () => {
  expect(toRetryAfterHeader(0)).toBe("1");
  expect(toRetryAfterHeader(1001)).toBe("2");
  expect(toRetryAfterHeader(60_000)).toBe("60");
});

describe("saneRetryAfter: what a client may be told", () => {
  test("integer seconds up to an hour pass; more is capped at 3600", () => {
    expect(saneRetryAfter("30", now)).toBe("30");
    expect(saneRetryAfter(" 3600 ", now)).toBe("3600");
    expect(saneRetryAfter("999999999", now)).toBe("3600");
  });
  test("an HTTP date within the hour passes; a far one is capped; garbage is dropped", () => {
    expect(saneRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe("Thu, 01 Jan 2026 00:00:30 GMT");
    expect(saneRetryAfter("Fri, 01 Jan 2027 00:00:00 GMT", now)).toBe("3600");
    expect(saneRetryAfter("-5", now)).toBeUndefined();
    expect(saneRetryAfter("soon\nset-cookie: x", now)).toBeUndefined();
    expect(saneRetryAfter("1.5", now)).toBeUndefined();
    expect(saneRetryAfter(null, now)).toBeUndefined();
  });
  test("the gateway's own wait is capped the same way", () => {
    expect(readRetryAfterMs(new Headers({ "retry-after": "999999999" }), now)).toBe(3_600_000);
  });
});
