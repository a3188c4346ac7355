// Item 12 of issue 15: HTTP/1.1 pipelining. Bun's server (uWS) closes a connection when a
// pipelined request arrives while the response ahead of it is still pending (an async handler):
// neither request is answered. Every generation request is async (it waits for an upstream), so
// a client that pipelines behind one loses both. Runtime, not gateway: docs/reliability.md.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
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

interface Exchange {
  statuses: number[];
  /** The server closed the connection before the client gave up waiting. */
  closedByServer: boolean;
}

/** Writes `send` in one write on a fresh connection; collects status lines until `expected` arrive. */
async function exchange(port: number, send: string, expected: number, waitMs = 1500): Promise<Exchange> {
  let text = "";
  let closed = false;
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_socket, data) {
        text += new TextDecoder().decode(data);
      },
      close() {
        closed = true;
      },
    },
  });
  socket.write(send);
  const statusesOf = () => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
  const deadline = Date.now() + waitMs;
  while (!closed && statusesOf().length < expected && Date.now() < deadline) await Bun.sleep(10);
  const closedByServer = closed;
  socket.end();
  return { statuses: statusesOf(), closedByServer };
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
const post = (path: string, body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const chatBody = JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });

describe("pipelined requests through the gateway", () => {
  test("behind an answer given at once (health, ready, models), both are answered in order", async () => {
    for (const first of ["/health", "/ready", "/v1/models"]) {
      expect((await exchange(gw.port, get(first) + get("/health"), 2)).statuses).toEqual([200, 200]);
    }
  });

  test("a generation request followed by one pipelined behind it in the same write", async () => {
    mock.reset();
    const before = gw.logs.length;
    const result = await exchange(gw.port, post("/v1/chat/completions", chatBody) + get("/health"), 2);
    if (result.statuses.length === 2) {
      // A runtime that queues pipelined requests: then the gateway must answer both, in order.
      expect(result.statuses).toEqual([200, 200]);
      return;
    }
    // Bun 1.4: no answer at all and the connection closed at once (see the runtime test below).
    expect(result).toEqual({ statuses: [], closedByServer: true });
    // The gateway saw the first request go away: one log line, status 499, nothing left in flight.
    await Bun.sleep(50);
    const lines = gw.logs.slice(before).filter((line) => line.msg === "request");
    expect(lines.map((line) => [line.status, line.error])).toEqual([[499, "client_gone"]]);
    expect(gw.runtime.inFlight).toBe(0);
    expect(mock.requests.every((r) => r.completed || r.aborted)).toBe(true);
  });

  test("with the generation request last, both are answered", async () => {
    expect(
      (await exchange(gw.port, get("/health") + post("/v1/chat/completions", chatBody), 2)).statuses,
    ).toEqual([200, 200]);
  });
});

// A canary: when a Bun release answers pipelined requests behind an async response, this fails.
// Then update docs/reliability.md ("HTTP/1.1 pipelining") and require [200, 200] above.
test("runtime (Bun alone): a request pipelined behind an async response closes the connection unanswered", async () => {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      if (new URL(request.url).pathname === "/slow") await Bun.sleep(10);
      return new Response("ok");
    },
  });
  try {
    const port = server.port as number;
    expect(await exchange(port, get("/fast") + get("/b"), 2)).toEqual({
      statuses: [200, 200],
      closedByServer: false,
    });
    expect(await exchange(port, get("/slow") + get("/b"), 2)).toEqual({ statuses: [], closedByServer: true });
  } finally {
    await server.stop(true);
  }
});
