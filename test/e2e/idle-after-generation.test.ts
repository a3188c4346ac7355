// A keep-alive connection must be closed once idle for server.idle_timeout, whatever it carried.
// Found by `bun run soak` (docs/reliability.md): src/server/start.ts lifts the idle timeout for a
// generation request (runtime.holdOpen → server.timeout(request, 0)) and nothing sets it back, so
// every connection that ever carried a generation stays open for good. Bun applies
// server.timeout() only while the response is still being written, so the gateway must restore
// the timeout before its answer completes (before returning a JSON answer, in a stream's last pull).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: `server:\n  idle_timeout: 1s\n${providersYaml(mock)}` });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

/** Sends one request on a fresh connection, then waits (up to `waitMs`) for the gateway to close it. */
async function closedAfterIdle(
  request: string,
  waitMs: number,
): Promise<{ answered: boolean; closed: boolean }> {
  let text = "";
  let closed = false;
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port: gw.port,
    socket: {
      data(_socket, data) {
        text += new TextDecoder().decode(data);
      },
      close() {
        closed = true;
      },
    },
  });
  socket.write(request);
  const deadline = Date.now() + waitMs;
  while (!closed && Date.now() < deadline) await Bun.sleep(50);
  const closedByGateway = closed;
  socket.end();
  return { answered: text.startsWith("HTTP/1.1 200"), closed: closedByGateway };
}

const body = (stream: boolean) =>
  JSON.stringify({ model: "openai/gpt-4o-mini", stream, messages: [{ role: "user", content: "hi" }] });
const post = (text: string) =>
  `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;

// Bun sweeps idle sockets every few seconds: idle_timeout 1 s closes within ~5 s.
test("after a JSON generation and after a stream, the idle connection is closed", async () => {
  const [json, stream] = await Promise.all([
    closedAfterIdle(post(body(false)), 8000),
    closedAfterIdle(post(body(true)), 8000),
  ]);
  expect(json).toEqual({ answered: true, closed: true });
  expect(stream).toEqual({ answered: true, closed: true });
}, 12_000);
