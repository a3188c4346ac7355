// server.drain_delay: on stop the instance serves on for the delay, every answer carrying
// `Connection: close` and /ready 503, and only then closes its listener (docs/operations.md).
import { expect, test } from "bun:test";
import { providersYaml, startTestGateway } from "../support/gateway.ts";
import { startMockUpstream } from "../support/mock-upstream.ts";
import { openAICompletion } from "../support/wire-builders.ts";

const chat = (url: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });

test("during the drain delay answers close their connection; after it the listener is closed", async () => {
  const mock = await startMockUpstream();
  mock.setDefault({ json: openAICompletion() });
  const gw = await startTestGateway({ yaml: `server:\n  drain_delay: 400ms\n${providersYaml(mock)}` });
  const before = await chat(gw.url);
  expect(before.status).toBe(200);
  expect(before.headers.get("connection")).not.toBe("close");
  await before.arrayBuffer();

  const stopped = gw.stop();
  await Bun.sleep(50);
  const during = await chat(gw.url);
  expect(during.status).toBe(200);
  expect(during.headers.get("connection")).toBe("close");
  expect(((await during.json()) as { object: string }).object).toBe("chat.completion");
  const ready = await fetch(`${gw.url}/ready`);
  expect(ready.status).toBe(503);
  expect(ready.headers.get("connection")).toBe("close");
  // An answer from the error handler (no such route) closes its connection too.
  const missing = await fetch(`${gw.url}/v1/nothing-here`);
  expect(missing.status).toBe(404);
  expect(missing.headers.get("connection")).toBe("close");
  // So do the docs' and the console's routes (their plugins' own).
  for (const path of ["/docs/json", "/console"]) {
    const answer = await fetch(`${gw.url}${path}`);
    await answer.arrayBuffer();
    expect({ path, connection: answer.headers.get("connection") }).toEqual({ path, connection: "close" });
  }

  await stopped;
  const after = await chat(gw.url).then(
    () => "answered",
    () => "refused",
  );
  expect(after).toBe("refused");
  await mock.stop();
});
