// The console served by the compiled binary (its bundle embedded at build time, read on the first
// visit), signed into in headless Chromium with every request that is not to the gateway aborted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, rmSync } from "node:fs";
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
const inCI = Boolean(process.env.CI);
const haveChromium = existsSync(CHROMIUM);
const MASTER_KEY = "sk-console-binary-master";

let gateway: RunningBinary | undefined;
let browser: Browser | undefined;
let configDir = "";

describe.skipIf(!haveChromium && !inCI)("console (/console) from the compiled binary, offline", () => {
  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set and ${CHROMIUM} is missing: install chromium`);
    const binary = await ensureBinary();
    const port = freePort();
    const { dir, configPath } = writeConfigDir(
      minimalConfigYaml(port, `auth:\n  master_key: ${MASTER_KEY}\n`).replace(
        'store: "off"',
        "store: sqlite:./usage.db",
      ),
    );
    configDir = dir;
    gateway = await startBinary({ binary, args: ["serve", "--config", configPath], port, cwd: dir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    const code = await gateway?.stop("SIGTERM");
    if (configDir) rmSync(configDir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  test("the embedded bundle is served, gzip-compressed when asked", async () => {
    const plain = await fetch(`${gateway!.baseUrl}/console/app.js`, {
      headers: { "accept-encoding": "identity" },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toStartWith("text/javascript");
    const source = await plain.text();
    expect(source).toContain("Switchboard console");
    const gzipped = await fetch(`${gateway!.baseUrl}/console/app.js`, {
      headers: { "accept-encoding": "gzip" },
      decompress: false,
    });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    const bytes = new Uint8Array(await gzipped.arrayBuffer());
    expect(new TextDecoder().decode(Bun.gunzipSync(bytes))).toBe(source);
    // The copy scripts/build.ts made (level 9), not one compressed at run time and kept in memory.
    expect(bytes).toEqual(Bun.gzipSync(new TextEncoder().encode(source), { level: 9 }));
  });

  test("signing in shows the overview, and no request leaves the gateway", async () => {
    const context = await browser!.newContext();
    const origin = new URL(gateway!.baseUrl).origin;
    const offHost: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin)
        return route.continue();
      offHost.push(url);
      return route.abort("internetdisconnected");
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${gateway!.baseUrl}/console`);
    await page.getByLabel("Master key").fill(MASTER_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator('[data-stat="requests"]').waitFor();
    expect(await page.locator('[data-stat="requests"] .stat-value').textContent()).toBe("0");
    await page.locator(".uplot").first().waitFor();
    expect(offHost).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);
});
