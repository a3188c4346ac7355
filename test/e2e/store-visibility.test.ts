// Issue 17 item 1: a store in trouble is visible — logged once per change, in /metrics
// (switchboard_store_up, switchboard_store_fallbacks_total), in /ready's body — and /v1/usage
// without its store is a 503 that says why; requests go on, decided by limits.on_store_failure.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { UsageRecord } from "../../src/usage/usage-record.ts";
import type { UsageStore } from "../../src/usage/usage-store.ts";
import { parseExposition } from "../metrics/parse-exposition.ts";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { openAICompletion } from "../support/wire-builders.ts";

class DeadStore implements UsageStore {
  async insert(_rows: UsageRecord[]): Promise<void> {
    throw new Error("connect ECONNREFUSED 127.0.0.1:5432 (postgres://app:hunter2@db/usage)");
  }
  async summarize(): Promise<never> {
    throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
  }
  async close(): Promise<void> {}
}

let mock: MockUpstream;
let gw: TestGateway;
const master = { authorization: "Bearer sk-master" };

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `providers:
  openai:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: sk-test
    models: [gpt-4o-mini]
auth:
  master_key: sk-master
  keys:
    - name: team
      key: sk-team
      rpm: 2
limits:
  store: redis://127.0.0.1:1
`,
    usageStore: new DeadStore(),
  });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.stop();
});

async function chat(): Promise<Response> {
  mock.enqueue({ json: openAICompletion() });
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-team" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });
}

async function readyBody(): Promise<{ status: string; stores: Record<string, Record<string, unknown>> }> {
  return (await (await fetch(`${gw.url}/ready`)).json()) as {
    status: string;
    stores: Record<string, Record<string, unknown>>;
  };
}

test("Redis absent: requests are served at once, limited per instance, and the limits store shows down", async () => {
  // Not yet reached: decided locally, shown as connecting (never as up).
  expect((await readyBody()).stores.limits?.state).not.toBe("up");
  const started = performance.now();
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await chat()).status);
  expect(performance.now() - started).toBeLessThan(1000);
  expect(statuses).toEqual([200, 200, 429]);
  await gw.runtime.usage.flush();

  const deadline = Date.now() + 5000;
  while ((await readyBody()).stores.limits?.state !== "down" && Date.now() < deadline) await Bun.sleep(20);
  const ready = await fetch(`${gw.url}/ready`);
  expect(ready.status).toBe(200);
  const body = (await ready.json()) as { status: string; stores: Record<string, Record<string, unknown>> };
  expect(body.status).toBe("degraded");
  expect(body.stores.limits).toMatchObject({ kind: "redis", state: "down", fallbacks: 3 });
  expect(body.stores.usage).toMatchObject({ state: "down" });
  expect(String(body.stores.usage?.reason)).not.toContain("hunter2");

  const metrics = parseExposition(await (await fetch(`${gw.url}/metrics`, { headers: master })).text());
  const sample = (name: string, labels: Record<string, string>) =>
    metrics.samples.find(
      (m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v),
    )?.value;
  expect(sample("switchboard_store_up", { store: "limits", kind: "redis" })).toBe(0);
  expect(sample("switchboard_store_up", { store: "usage" })).toBe(0);
  expect(sample("switchboard_store_fallbacks_total", { store: "limits" })).toBe(3);

  // One line per change, not one per request.
  const down = gw.logs.filter((l) => l.msg === "limits store down");
  expect(down).toHaveLength(1);
  expect(down[0]).toMatchObject({ level: "warn", store: "limits", kind: "redis" });
  expect(gw.logs.filter((l) => l.msg === "usage store down")).toHaveLength(1);
});

test("/v1/usage without its store is a 503 that names the store and why", async () => {
  const res = await fetch(`${gw.url}/v1/usage`, { headers: master });
  expect(res.status).toBe(503);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("usage_store_unavailable");
  expect(body.error.message).toContain("usage store");
  expect(body.error.message).toContain("ECONNREFUSED");
});
