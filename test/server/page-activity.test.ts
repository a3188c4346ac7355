// The idle collector (src/server/idle-gc.ts) runs after activity it can see: generation requests,
// and the docs and console pages, whose first visit leaves the OpenAPI plugin's and the page's
// garbage behind (docs/performance.md, "What a page visit leaves behind").
import { expect, test } from "bun:test";
import { loadConfigFromText } from "../../src/config/load-config.ts";
import { createRuntime } from "../../src/gateway/runtime.ts";
import { createLogger } from "../../src/log/logger.ts";
import { createApp } from "../../src/server/app.ts";

test("a visit to the docs or the console counts as activity; a health check does not", async () => {
  const config = loadConfigFromText(
    "server:\n  console: true\nauth:\n  master_key: sk-page-activity-master\nusage:\n  store: off\n",
    "/srv/s.yaml",
    {},
  );
  const runtime = await createRuntime(config, { version: "9.9.9", logger: createLogger(() => {}) });
  const app = createApp(runtime);
  const visit = async (path: string) => {
    const before = runtime.requestsStarted;
    const response = await app.handle(new Request(`http://localhost${path}`));
    await response.arrayBuffer();
    return { path, status: response.status, counted: runtime.requestsStarted - before };
  };
  expect([
    await visit("/docs/json"),
    await visit("/docs"),
    await visit("/console"),
    await visit("/health"),
  ]).toEqual([
    { path: "/docs/json", status: 200, counted: 1 },
    { path: "/docs", status: 200, counted: 1 },
    { path: "/console", status: 200, counted: 1 },
    { path: "/health", status: 200, counted: 0 },
  ]);
});
