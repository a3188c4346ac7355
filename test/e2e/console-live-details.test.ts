// The Live page's record of a request carries the fields the translation dropped and, with
// usage.log_bodies on, the bodies — kept only while someone is subscribed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;
const master = { authorization: "Bearer sk-live-master" };

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `auth:\n  master_key: sk-live-master\n${providersYaml(mock)}usage:\n  store: "off"\n  log_bodies: true\n`,
  });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

test("a live event names the dropped fields and carries the bodies", async () => {
  const controller = new AbortController();
  const live = await fetch(`${gw.url}/admin/live`, { headers: master, signal: controller.signal });
  const reader = live.body!.getReader();
  const decoder = new TextDecoder();
  let text = decoder.decode((await reader.read()).value);
  const answered = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { ...master, "content-type": "application/json" },
    body: JSON.stringify({
      model: "anthropic/claude-sonnet-4-5",
      seed: 7,
      messages: [{ role: "user", content: "hello bodies" }],
    }),
  });
  expect(answered.status).toBe(200);
  const requestId = answered.headers.get("x-request-id")!;
  while (!text.includes(requestId)) text += decoder.decode((await reader.read()).value);
  const line = text.split("\n").find((l) => l.startsWith("data:") && l.includes(requestId))!;
  const event = JSON.parse(line.slice(5)) as {
    dropped: string[];
    bodies: Array<{ direction: string; body: string }>;
  };
  expect(event.dropped).toEqual(answered.headers.get("x-switchboard-dropped")!.split(", "));
  expect(event.dropped).toContain("seed");
  expect(event.bodies.map((body) => body.direction)).toEqual([
    "request",
    "upstream_request",
    "upstream_response",
    "response",
  ]);
  expect(event.bodies[0]!.body).toContain("hello bodies");
  controller.abort();
});
