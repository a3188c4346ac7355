// The API reference page, served by the compiled binary and rendered by headless Chromium with the
// network cut off: it must show both endpoints using only what the binary itself serves.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { ensureBinary } from "../../scripts/ensure-binary.ts";
import {
  freePort,
  minimalConfigYaml,
  type RunningBinary,
  startBinary,
  writeConfigDir,
} from "../../scripts/run-binary.ts";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = join(import.meta.dir, "__screenshots__");
const inCI = Boolean(process.env.CI);
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !inCI) {
  console.warn(`docs-page: skipped, ${CHROMIUM} is missing (apt-get install -y chromium); in CI this fails`);
}

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Auth is on: the page and its document must still need no key.
const MASTER_KEY = "sk-docs-test-master-key";

let gateway: RunningBinary | undefined;
let browser: Browser | undefined;
let configDir = "";

describe.skipIf(!haveChromium && !inCI)("docs page (/docs) offline in headless Chromium", () => {
  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set and ${CHROMIUM} is missing: install chromium`);
    const binary = await ensureBinary();
    const port = freePort();
    const { dir, configPath } = writeConfigDir(
      minimalConfigYaml(port, `auth:\n  master_key: ${MASTER_KEY}\n`),
    );
    configDir = dir;
    gateway = await startBinary({ binary, args: ["serve", "--config", configPath], port, cwd: dir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    const code = await gateway?.stop("SIGTERM");
    if (configDir) rmSync(configDir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  test("/docs/json documents both generation endpoints and none of the docs routes, without a key", async () => {
    const response = await fetch(`${gateway!.baseUrl}/docs/json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toStartWith("3.1");
    expect(document.paths["/v1/chat/completions"]?.post).toBeDefined();
    expect(document.paths["/v1/messages"]?.post).toBeDefined();
    expect(Object.keys(document.paths).filter((path) => path.startsWith("/docs"))).toEqual([]);
  });

  test("the page renders both endpoints with every request answered by the gateway itself", async () => {
    const context = await browser!.newContext();
    const gatewayOrigin = new URL(gateway!.baseUrl).origin;
    const offHost: string[] = [];
    const failedOnHost: string[] = [];
    // Every request that is not to the gateway is recorded and aborted: the machine is "offline".
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === gatewayOrigin) {
        return route.continue();
      }
      offHost.push(url);
      return route.abort("internetdisconnected");
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("requestfailed", (request) => {
      if (new URL(request.url()).origin === gatewayOrigin) failedOnHost.push(request.url());
    });

    const response = await page.goto(`${gateway!.baseUrl}/docs`, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    // Scalar renders the operations client-side from /docs/json: these appear only if the embedded
    // bundle loaded and ran.
    await page
      .getByText("/v1/chat/completions", { exact: true })
      .first()
      .waitFor({ state: "visible", timeout: 20_000 });
    await page
      .getByText("/v1/messages", { exact: true })
      .first()
      .waitFor({ state: "visible", timeout: 20_000 });
    await page
      .getByText("Switchboard", { exact: true })
      .first()
      .waitFor({ state: "visible", timeout: 5_000 });

    expect(offHost).toEqual([]);
    expect(failedOnHost).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);

  // The routes refer to their request schemas (`$ref`) and the document holds them, built on its
  // first visit: the page must resolve them into the body's fields, at desktop and phone width.
  for (const [name, viewport] of [
    ["1280", { width: 1280, height: 900 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    test(`an operation's request body lists its schema's fields (${name})`, async () => {
      const page = await browser!.newPage({ viewport });
      await page.goto(`${gateway!.baseUrl}/docs`, { waitUntil: "networkidle" });
      // The Chat Completions body, named by its schema; its fields are listed below the name.
      const schemaName = page.locator("button", { hasText: /^\s*OpenAIChatRequest\s*$/ }).first();
      await schemaName.waitFor({ state: "attached", timeout: 20_000 });
      await schemaName.evaluate((element) => element.scrollIntoView({ block: "start" }));
      await schemaName.waitFor({ state: "visible", timeout: 5_000 });
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
      const body = await page.locator("body").innerText();
      // A field only the Chat Completions request schema has, with its type: the field list, not
      // the request example beside it.
      expect(body).toMatch(/max_completion_tokens\s+Type:\s+integer/);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `docs-request-body-${name}.png`) });
      await page.close();
    }, 60_000);
  }

  test("the page HTML loads its script from the gateway, versioned for caching", async () => {
    const response = await fetch(`${gateway!.baseUrl}/docs`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const version = (await (await fetch(`${gateway!.baseUrl}/docs/json`)).json()) as {
      info: { version: string };
    };
    expect(html).toContain(`<script src="/docs/scalar.js?v=${encodeURIComponent(version.info.version)}"`);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  test("the UI bundle is served from the binary, gzip-compressed when asked", async () => {
    const plain = await fetch(`${gateway!.baseUrl}/docs/scalar.js`, {
      headers: { "accept-encoding": "identity" },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toStartWith("text/javascript");
    const source = await plain.text();
    expect(source.length).toBeGreaterThan(1_000_000);
    expect(source).toContain("api-reference");

    const gzipped = await fetch(`${gateway!.baseUrl}/docs/scalar.js`, {
      headers: { "accept-encoding": "gzip" },
      decompress: false,
    });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    const bytes = new Uint8Array(await gzipped.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(source.length / 2);
    expect(new TextDecoder().decode(Bun.gunzipSync(bytes))).toBe(source);
    // The copy scripts/build.ts made (level 9), not one compressed at run time (level 6, then kept
    // in memory): src/server/static-asset.ts.
    expect(bytes).toEqual(Bun.gzipSync(new TextEncoder().encode(source), { level: 9 }));
  });
});
