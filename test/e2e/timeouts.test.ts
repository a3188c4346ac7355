// Every wait has an end: a JSON answer that stalls after its headers, a stream that stalls, a
// request body that never finishes arriving, a keep-alive connection left idle.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { jsonOf, providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `server:
  read_timeout: 300ms
  idle_timeout: 1s
${providersYaml(
  mock,
  `  slow:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: sk-slow
    stall_timeout: 300ms
`,
)}routing:
  retries: 0
`,
  });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const chat = (body: Record<string, unknown>) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], ...body }),
  });

describe("stall_timeout", () => {
  test("a JSON answer that stalls after its headers is a 504, and the upstream call is closed", async () => {
    mock.enqueue({
      sse: ['{"id":"chatcmpl-1","object":"chat.completion",', '"choices":[]}'],
      headers: { "content-type": "application/json" },
      hangAfterChunks: 1,
    });
    const started = performance.now();
    const response = await chat({ model: "slow/gpt-4o-mini" });
    expect(response.status).toBe(504);
    const body = await jsonOf(response);
    expect(body.error.code).toBe("upstream_timeout");
    expect(body.error.message).toContain("stopped sending");
    expect(performance.now() - started).toBeLessThan(3000);
    await mock.waitFor((requests) => requests[0]?.aborted === true);
    const attempts = gw.logs.find((line) => line.msg === "request" && line.status === 504);
    expect(attempts).toBeDefined();
  });

  test("a stream that stalls ends with the protocol's error event after the provider's stall timeout", async () => {
    mock.enqueue({
      sse: [
        'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n',
        'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"lo"}}]}\n\n',
      ],
      hangAfterChunks: 1,
    });
    const response = await chat({ model: "slow/gpt-4o-mini", stream: true });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"content":"Hel"');
    expect(text).toContain("stopped sending data for 300 ms");
    expect(text).not.toContain("[DONE]");
  });
});

/** A raw TCP exchange: what the gateway answers (if anything) and whether it closed the connection. */
async function rawExchange(
  send: string,
  waitMs: number,
  until: (text: string) => boolean = () => false,
): Promise<{ text: string; closed: boolean }> {
  let text = "";
  let closed = false;
  const url = new URL(gw.url);
  const socket = await Bun.connect({
    hostname: url.hostname,
    port: Number(url.port),
    socket: {
      data(_socket, data) {
        text += new TextDecoder().decode(data);
      },
      close() {
        closed = true;
      },
    },
  });
  if (send) socket.write(send);
  const deadline = Date.now() + waitMs;
  while (!closed && !until(text) && Date.now() < deadline) await Bun.sleep(25);
  const closedByGateway = closed;
  socket.end();
  return { text, closed: closedByGateway };
}

describe("read_timeout and idle_timeout", () => {
  test("a body that stops arriving gets 408 in the endpoint's envelope", async () => {
    const head = `POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
    const { text } = await rawExchange(`${head}{"model":`, 3000, (t) => t.endsWith("}}"));
    expect(text.startsWith("HTTP/1.1 408")).toBe(true);
    expect(text).toContain('"type":"error"');
    expect(text).toContain("did not arrive within 300 ms");
  });

  test("an idle keep-alive connection is closed after idle_timeout", async () => {
    // Bun checks idle sockets every few seconds, so the close comes within idle_timeout + ~4 s.
    // (A connection that never completes its request headers is not timed out by Bun at all:
    // docs/reliability.md, "Connections".)
    const { text, closed } = await rawExchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 8000);
    expect(text.startsWith("HTTP/1.1 200")).toBe(true);
    expect(closed).toBe(true);
  }, 12_000);

  test("a half-sent body is answered 408 and the connection closed", async () => {
    const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n`;
    const { text, closed } = await rawExchange(`${head}{"model"`, 8000);
    expect(text.startsWith("HTTP/1.1 408")).toBe(true);
    expect(closed).toBe(true);
  }, 12_000);

  test("a generation request is not cut by the idle timeout while the provider thinks", async () => {
    mock.enqueue({ echo: true, delayMs: 1500 });
    const response = await chat({ model: "openai/gpt-4o-mini" });
    expect(response.status).toBe(200);
  });
});
