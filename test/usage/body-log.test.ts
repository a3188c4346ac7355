import { describe, expect, test } from "bun:test";
import { createBodyLogger, redactHeaders, redactSecrets, toBodyLogEntry } from "../../src/usage/body-log.ts";

describe("redactSecrets", () => {
  test("removes key-like JSON fields, provider keys and bearer tokens", () => {
    const body = JSON.stringify({
      api_key: "abc123",
      apiKey: "def456",
      nested: { authorization: "Bearer zzz", "x-api-key": "k" },
      text: "my key is sk-proj-ABCDEFGHIJKLMNOP and sk-ant-api03-XYZXYZXYZXYZ",
      other: "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload",
      url: "https://generativelanguage.googleapis.com/v1beta/models/x?key=AIzaSyD-secret&alt=sse",
      max_tokens: 100,
      input_tokens: 5,
    });
    const out = redactSecrets(body);
    for (const secret of [
      "abc123",
      "def456",
      "zzz",
      "sk-proj-ABC",
      "sk-ant-api03",
      "eyJhbGci",
      "AIzaSyD-secret",
    ]) {
      expect(out).not.toContain(secret);
    }
    const parsed = JSON.parse(out);
    expect(parsed.api_key).toBe("[REDACTED]");
    expect(parsed.nested["x-api-key"]).toBe("[REDACTED]");
    expect(parsed.max_tokens).toBe(100); // "tokens" fields are not secrets
    expect(parsed.input_tokens).toBe(5);
    expect(parsed.url).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models/x?key=[REDACTED]&alt=sse",
    );
  });

  test("handles escaped quotes inside a secret value", () => {
    expect(redactSecrets('{"password":"a\\"b","n":1}')).toBe('{"password":"[REDACTED]","n":1}');
  });
});

describe("redactHeaders", () => {
  test("credential headers are redacted, others kept", () => {
    const h = new Headers({
      authorization: "Bearer sk-1234567890",
      "x-api-key": "k",
      "content-type": "application/json",
    });
    expect(redactHeaders(h)).toEqual({
      authorization: "[REDACTED]",
      "x-api-key": "[REDACTED]",
      "content-type": "application/json",
    });
  });
});

describe("toBodyLogEntry", () => {
  test("cuts at the byte limit on a character boundary and reports the full size", () => {
    const body = `${"é".repeat(10)}`; // 20 bytes
    const entry = toBodyLogEntry({ requestId: "r", direction: "request", body }, 5);
    expect(entry.body).toBe("éé"); // 4 bytes: the 3rd é would straddle byte 5
    expect(entry.truncated).toBe(true);
    expect(entry.body_bytes).toBe(20);
  });

  test("a secret straddling the cut is still redacted", () => {
    const body = `${"x".repeat(10)} sk-abcdefghijklmnopqrstuvwxyz`;
    const entry = toBodyLogEntry(
      { requestId: "r", direction: "response", body: new TextEncoder().encode(body) },
      20,
    );
    expect(entry.body).not.toContain("sk-abc");
    expect(entry.body.startsWith(`${"x".repeat(10)} [REDA`)).toBe(true);
  });

  test("small bodies pass whole", () => {
    const entry = toBodyLogEntry({ requestId: "r", direction: "request", body: '{"a":1}' }, 1000);
    expect(entry).toEqual({
      msg: "body",
      request_id: "r",
      direction: "request",
      body: '{"a":1}',
      body_bytes: 7,
      truncated: false,
    });
  });
});

describe("createBodyLogger", () => {
  test("off by default: writes nothing", () => {
    const lines: string[] = [];
    createBodyLogger({ logBodies: false, bodyLogLimit: 100 }, (l) => lines.push(l))({
      requestId: "r",
      direction: "request",
      body: "hello",
    });
    expect(lines).toEqual([]);
  });

  test("on: one JSON line per body, redacted and capped", () => {
    const lines: string[] = [];
    const log = createBodyLogger({ logBodies: true, bodyLogLimit: 1000 }, (l) => lines.push(l));
    log({
      requestId: "r1",
      direction: "upstream_request",
      body: '{"api_key":"s3cret"}',
      headers: { authorization: "Bearer x" },
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      level: "info",
      msg: "body",
      request_id: "r1",
      direction: "upstream_request",
      body: '{"api_key":"[REDACTED]"}',
      headers: { authorization: "[REDACTED]" },
    });
    expect(lines[0]).not.toContain("s3cret");
  });
});
