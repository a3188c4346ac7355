import { afterAll, beforeAll, expect, test } from "bun:test";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: providersYaml(mock) });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

const CHUNKS = 8000;
const filler = "x".repeat(8 * 1024);
const chunk = `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${filler}"},"finish_reason":null}]}\n\n`;

test("a client that stops reading stalls the upstream (backpressure), and leaving aborts it", async () => {
  // 64 MB of stream: far more than the socket buffers between mock, gateway and client hold.
  mock.enqueue({ sse: Array.from({ length: CHUNKS }, () => chunk) });
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "openai/gpt-4o-mini",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "hi" }],
    }),
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  await Bun.sleep(1000);
  const sentWhileStalled = mock.requests[0].chunksSent;
  expect(mock.requests[0].completed).toBe(false);
  expect(sentWhileStalled).toBeLessThan(CHUNKS / 2);
  await Bun.sleep(300);
  // Still stalled: nothing is being buffered without bound on the gateway's side.
  expect(mock.requests[0].chunksSent - sentWhileStalled).toBeLessThan(50);
  await reader.cancel();
  await mock.waitFor((requests) => requests[0].aborted, 3000);
});
