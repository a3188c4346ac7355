import { describe, expect, test } from "bun:test";
import { parseWrkOutput, runWrk, toLuaLongString, toWrkScript } from "../../bench/lib/wrk.ts";

const hasWrk = Bun.spawnSync(["which", "wrk"]).exitCode === 0;

describe("wrk script", () => {
  test("long strings survive closing brackets inside and at the end", () => {
    expect(toLuaLongString('{"a":[1]}')).toBe('[=[{"a":[1]}]=]');
    expect(toLuaLongString("x]=]y")).toBe("[==[x]=]y]==]");
  });

  test("the script sets method, body and headers", () => {
    const script = toWrkScript({ url: "http://x", headers: { "x-api-key": "k" }, body: "{}" });
    expect(script).toContain('wrk.method = "POST"');
    expect(script).toContain("wrk.body = [=[{}]=]");
    expect(script).toContain("wrk.headers[ [=[x-api-key]=] ] = [=[k]=]");
  });

  test("parses the summary line, in milliseconds", () => {
    const result = parseWrkOutput(
      'Running 1s test\nWRK_JSON {"requests":2000,"duration_us":2000000,"p50":150.0,"p90":900.5,"p99":2500.0,"connect":0,"read":1,"write":0,"status":3,"timeout":2}\n',
    );
    expect(result.rps).toBe(1000);
    expect(result.p50Ms).toBe(0.15);
    expect(result.p90Ms).toBeCloseTo(0.9005);
    expect(result.p99Ms).toBe(2.5);
    expect(result.socketErrors).toBe(3);
    expect(result.badStatus).toBe(3);
  });

  test("no summary line is an error that shows wrk's output", () => {
    expect(() => parseWrkOutput("unable to connect")).toThrow("unable to connect");
  });

  test.skipIf(!hasWrk)("wrk POSTs the exact body and headers, and counts bad statuses", async () => {
    const seen: string[] = [];
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(request) {
        const body = await request.text();
        if (seen.length < 3) seen.push(`${request.method} ${request.headers.get("x-api-key")} ${body}`);
        return new Response("ok", { status: body.includes("fail") ? 500 : 200 });
      },
    });
    try {
      const url = `http://127.0.0.1:${server.port}/v1/messages`;
      const body = '{"messages":[{"content":"a ]] b"}]}';
      const ok = await runWrk(
        { url, headers: { "x-api-key": "k1" }, body },
        { connections: 2, durationS: 1 },
      );
      expect(ok.requests).toBeGreaterThan(10);
      expect(ok.badStatus).toBe(0);
      expect(seen[0]).toBe(`POST k1 ${body}`);
      const bad = await runWrk({ url, headers: {}, body: '"fail"' }, { connections: 1, durationS: 1 });
      expect(bad.badStatus).toBe(bad.requests);
    } finally {
      server.stop(true);
    }
  });
});
