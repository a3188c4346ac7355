// Clients that leave at any moment: before the answer's headers, after a few chunks of a stream,
// or never reading at all; same-protocol and translated. Afterwards no upstream call is left
// open, the in-flight gauges read 0, and every request that reached the gateway was logged.
import { afterAll, beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import { SEED, validBody } from "./arbitraries.ts";
import {
  expectGaugesAtZero,
  expectNoSecretInLogs,
  type FuzzGateway,
  GENERATION_ENDPOINTS,
  SECRETS,
  startFuzzGateway,
} from "./fuzz-gateway.ts";

let fz: FuzzGateway;
beforeAll(async () => {
  fz = await startFuzzGateway();
  // Every answer trickles, so a client can leave in the middle of it.
  fz.mock.setDefault({ echo: true, delayMs: 3, chunkDelayMs: 4 });
});
afterAll(() => fz.stop());

const streamingEndpoints = GENERATION_ENDPOINTS.filter((e) => e.body !== "count_tokens");

test("a client that leaves at any point leaves nothing open", async () => {
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...streamingEndpoints).chain((e) => fc.tuple(fc.constant(e), validBody(e.body!))),
      fc.constantFrom(
        "openai/gpt-4o-mini",
        "anthropic/claude-sonnet-4-5",
        "gemini/gemini-2.5-flash",
        "chain",
      ),
      fc.boolean(),
      fc.oneof(
        fc.record({ when: fc.constant("before_headers" as const), afterMs: fc.integer({ min: 0, max: 6 }) }),
        fc.record({ when: fc.constant("after_chunks" as const), chunks: fc.integer({ min: 0, max: 4 }) }),
        fc.record({ when: fc.constant("never" as const) }),
      ),
      async ([endpoint, body], model, stream, leave) => {
        const controller = new AbortController();
        const request = fetch(`${fz.gw.url}${endpoint.path}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${SECRETS.masterKey}` },
          body: JSON.stringify({ ...body, ...longPrompt(body), model, stream }),
          signal: controller.signal,
        });
        sent++;
        if (leave.when === "before_headers") {
          await Bun.sleep(leave.afterMs);
          controller.abort();
          await request.catch(() => undefined);
          return;
        }
        const response = await request;
        expect(response.status).toBeLessThan(500);
        if (leave.when === "never") {
          await response.text();
          return;
        }
        const reader = response.body!.getReader();
        for (let i = 0; i < leave.chunks; i++) if ((await reader.read()).done) break;
        controller.abort();
        await reader.cancel().catch(() => undefined);
      },
    ),
    { seed: SEED, numRuns: 60 },
  );
  // Every upstream call the gateway made is finished or was aborted: none left hanging.
  await fz.mock.waitFor((requests) => requests.every((r) => r.completed || r.aborted), 3000);
  await expectGaugesAtZero(fz);
  // Each request that got into the pipeline was logged exactly once.
  await Bun.sleep(50);
  const logged = fz.gw.logs.filter((line) => line.msg === "request");
  expect(logged.length).toBeLessThanOrEqual(sent);
  expect(new Set(logged.map((line) => line.request_id)).size).toBe(logged.length);
  expectNoSecretInLogs(fz);
});

const STORY = "tell me a long story about a fox who ran across a field at dawn";

/** A prompt whose echoed answer is long enough to leave in the middle of, in the body's protocol. */
function longPrompt(body: Record<string, unknown>): Record<string, unknown> {
  return "input" in body ? { input: STORY } : { messages: [{ role: "user", content: STORY }] };
}
