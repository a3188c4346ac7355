// The docs page's OpenAPI plugin renders its page when it is registered and is a sizeable module:
// both were start-up work (docs/performance.md, "Footprint"). The gateway registers its own docs
// routes and loads the plugin on the first visit; this checks it in a fresh process.
import { expect, test } from "bun:test";
import { BUILD_APP_SCRIPT, runInFreshProcess } from "../support/fresh-process.ts";

test("the OpenAPI plugin is loaded by the first /docs visit, not by building the app", async () => {
  const script = `
    ${BUILD_APP_SCRIPT}
    const loaded = () => Object.keys(require.cache).some((path) => path.includes("/@elysiajs/openapi/"));
    const atStart = loaded();
    const spec = await app.handle(new Request("http://localhost/docs/json"));
    const document = await spec.json();
    const page = await app.handle(new Request("http://localhost/docs"));
    const html = await page.text();
    console.log(JSON.stringify({
      atStart,
      afterVisit: loaded(),
      specStatus: spec.status,
      version: document.info.version,
      paths: Object.keys(document.paths).filter((p) => p === "/v1/chat/completions" || p.startsWith("/docs")),
      pageStatus: page.status,
      pageType: page.headers.get("content-type"),
      script: html.includes('src="/docs/scalar.js?v=9.9.9"'),
    }));
    process.exit(0);`;
  expect(await runInFreshProcess(script)).toEqual({
    atStart: false,
    afterVisit: true,
    specStatus: 200,
    version: "9.9.9",
    paths: ["/v1/chat/completions"],
    pageStatus: 200,
    pageType: "text/html; charset=utf8",
    script: true,
  });
});
