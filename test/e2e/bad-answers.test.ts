// A 200 that is not the provider's JSON (a proxy's HTML page) is the provider's failure: the next
// target answers, and the first is counted like any upstream failure.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { jsonOf, providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}routing:
  retries: 0
models:
  chain: [anthropic/claude-sonnet-4-5, openai/gpt-4o-mini]
`,
  });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

const chat = (model: string) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });

test("a translated 200 with an HTML body fails over to the next target", async () => {
  mock.reset();
  mock.enqueue({ text: "<html>502 Bad Gateway</html>", contentType: "text/html" });
  const response = await chat("chain");
  expect(response.status).toBe(200);
  expect(response.headers.get("x-switchboard-provider")).toBe("openai");
  expect((await jsonOf(response)).choices[0].message.content).toBe("echo: hi");
  expect(mock.requests.map((request) => request.path)).toEqual(["/v1/messages", "/v1/chat/completions"]);
});

test("with no other target it is a 502 that names the provider, not a 500", async () => {
  mock.reset();
  mock.enqueue({ text: "<html>oops</html>", contentType: "text/html" });
  const response = await chat("anthropic/claude-sonnet-4-5");
  expect(response.status).toBe(502);
  const body = await jsonOf(response);
  expect(body.error.code).toBe("upstream_bad_response");
  expect(body.error.message).toContain("anthropic");
});
