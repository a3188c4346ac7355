// The operator's console (/console) in headless Chromium against the real gateway with mock
// providers: sign-in (wrong key, virtual key, master key), every page with the numbers the
// /admin/… and /v1/usage endpoints hold after a scripted set of requests (a fallback, a translated
// call, a failed one), the live page showing a request made after it opened, keyboard navigation,
// labels, no request leaving the gateway, and screenshots of every page at 1280×800 and on a phone.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import type { UsageSummary } from "../../src/usage/usage-query.ts";
import type { UsageOverview } from "../../src/usage/usage-timeseries.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

const CHROMIUM = "/usr/bin/chromium";
const inCI = Boolean(process.env.CI);
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !inCI) {
  console.warn(`console: skipped, ${CHROMIUM} is missing (apt-get install -y chromium); in CI this fails`);
}
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"];
const SCREENSHOTS = join(import.meta.dir, "__screenshots__");

const MASTER = "sk-console-master";
const VIRTUAL = "sk-console-team";
const PAGES = ["Overview", "Usage", "Providers", "Live", "Config"] as const;

// Run in the page. Functions, not strings, for waitForFunction: a string predicate is an eval,
// which the console's Content-Security-Policy refuses. Typed loosely: this file is checked without
// the DOM library.
type InPage = { document: { title: string }; location: { hash: string } };
const titleStartsWith = (label: string) => (globalThis as unknown as InPage).document.title.startsWith(label);
const hashIs = (hash: string) => (globalThis as unknown as InPage).location.hash === hash;
/** Inputs, selects, buttons and links with no label, aria-label or text: their opening tags. */
const UNLABELLED_CONTROLS = `[...document.querySelectorAll("input, select, button, a")]
  .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || (el.textContent ?? "").trim()))
  .map((el) => el.outerHTML.slice(0, 80))`;

let mock: MockUpstream;
let gw: TestGateway;
let browser: Browser | undefined;

const master = { authorization: `Bearer ${MASTER}` };

async function chat(model: string, key = VIRTUAL): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hello console" }] }),
  });
}

async function adminJson<T>(path: string): Promise<T> {
  const response = await fetch(`${gw.url}${path}`, { headers: master });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}
auth:
  master_key: ${MASTER}
  keys:
    - name: team-a
      key: ${VIRTUAL}
models:
  chain: [openai/gpt-4o-mini, anthropic/claude-sonnet-4-5]
routing:
  retries: 0
usage:
  prices:
    gpt-4o-mini: { input: 0.15, output: 0.6 }
    claude-sonnet-4-5: { input: 3, output: 15 }
`,
    usageStore: new SqliteUsageStore(":memory:"),
  });
  // The scripted set: a fallback (OpenAI provider 500 → Anthropic answers, translated), a
  // translated call (Anthropic client → OpenAI provider), a failed one (400), a plain one.
  mock.enqueue({ error: { status: 500 } });
  const fallback = await chat("chain");
  expect(fallback.status).toBe(200);
  expect(fallback.headers.get("x-switchboard-provider")).toBe("anthropic");
  const translated = await fetch(`${gw.url}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": VIRTUAL, "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: JSON.stringify({
      model: "gpt-4o-mini",
      max_tokens: 50,
      messages: [{ role: "user", content: "translate me" }],
    }),
  });
  expect(translated.status).toBe(200);
  mock.enqueue({ error: { status: 400 } });
  expect((await chat("gpt-4o-mini")).status).toBe(400);
  expect((await chat("gpt-4o-mini", MASTER)).status).toBe(200);
  // A stream, so time to first token has a value.
  const stream = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${MASTER}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "gpt-4o-mini",
      stream: true,
      messages: [{ role: "user", content: "stream" }],
    }),
  });
  expect(stream.status).toBe(200);
  await stream.text();
  if (haveChromium) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  await mock?.stop();
});

describe("/admin/ endpoints", () => {
  test("need the master key: 401 without a key or with a wrong one, 403 for a virtual key, in OpenAI's envelope", async () => {
    for (const [headers, status] of [
      [{}, 401],
      [{ authorization: "Bearer nope" }, 401],
      [{ authorization: `Bearer ${VIRTUAL}` }, 403],
    ] as const) {
      for (const path of ["/admin/overview", "/admin/providers", "/admin/config", "/admin/live"]) {
        const response = await fetch(`${gw.url}${path}`, { headers });
        expect(response.status).toBe(status);
        const body = (await response.json()) as { error: { message: string; type: string } };
        expect(typeof body.error.message).toBe("string");
      }
    }
  });

  test("the overview counts the scripted requests; providers count every attempt, the fallback's failed one too", async () => {
    const overview = await adminJson<UsageOverview>("/admin/overview?range=1h");
    expect(overview.buckets).toHaveLength(60);
    expect(overview.totals.requests).toBe(5);
    expect(overview.totals.errors).toBe(1);
    expect(overview.totals.input_tokens).toBeGreaterThan(0);
    expect(overview.totals.cost_usd).toBeGreaterThan(0);
    expect(overview.totals.p50_latency_ms).not.toBeNull();
    expect(overview.totals.p50_ttft_ms).not.toBeNull();
    expect(overview.top.keys.map((k) => k.name).sort()).toEqual(["master", "team-a"]);
    const providers = await adminJson<{
      providers: Array<{ name: string; recent: { attempts: number; failed: number } | null }>;
      routes: Array<{ name: string; description: string }>;
    }>("/admin/providers");
    const openai = providers.providers.find((p) => p.name === "openai")!;
    expect(openai.recent).toMatchObject({ attempts: 5, failed: 2, error_rate: 0.4 });
    expect(providers.providers.find((p) => p.name === "anthropic")!.recent).toMatchObject({
      attempts: 1,
      failed: 0,
    });
    expect(providers.routes.find((route) => route.name === "chain")).toMatchObject({
      strategy: "ordered",
      description: "ordered: openai/gpt-4o-mini, then anthropic/claude-sonnet-4-5",
    });
    expect((await fetch(`${gw.url}/admin/overview?range=2y`, { headers: master })).status).toBe(400);
  });

  test("/admin/config shows no secret", async () => {
    const text = await (await fetch(`${gw.url}/admin/config`, { headers: master })).text();
    for (const secret of [MASTER, VIRTUAL, "sk-openai-test", "sk-ant-test", "gm-test"]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(text)).toMatchObject({ object: "admin.config", version: "test", last_reload: null });
  });

  test("/admin/config reports the last reload and its result", async () => {
    gw.reload(gw.config);
    const body = await adminJson<{ last_reload: { at: string; ok: boolean; problems: string[] } }>(
      "/admin/config",
    );
    expect(body.last_reload).toMatchObject({ ok: true, problems: [] });
    expect(Date.now() - Date.parse(body.last_reload.at)).toBeLessThan(5000);
  });

  test("the live feed costs nothing while nobody is subscribed", () => {
    expect(gw.runtime.live.active).toBe(false);
  });

  test("/admin/live streams each request that finishes while subscribed, and unsubscribes when the client leaves", async () => {
    const controller = new AbortController();
    const response = await fetch(`${gw.url}/admin/live`, { headers: master, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toContain(": subscribed");
    expect(gw.runtime.live.active).toBe(true);
    const answered = await chat("gpt-4o-mini");
    const requestId = answered.headers.get("x-request-id")!;
    while (!text.includes(requestId)) text += decoder.decode((await reader.read()).value);
    const data = text.split("\n").find((line) => line.startsWith("data:") && line.includes(requestId))!;
    expect(JSON.parse(data.slice(5))).toMatchObject({
      request_id: requestId,
      key: "team-a",
      model_requested: "gpt-4o-mini",
      provider: "openai",
      status: 200,
      attempts: [{ provider: "openai", status: 200, outcome: "ok" }],
    });
    controller.abort();
    for (let i = 0; i < 100 && gw.runtime.live.active; i++) await Bun.sleep(10);
    expect(gw.runtime.live.active).toBe(false);
  });
});

describe("server.console: false", () => {
  test("/console, its script and /admin/… answer 404", async () => {
    const off = await startTestGateway({
      yaml: `${providersYaml(mock)}server:\n  console: false\nauth:\n  master_key: ${MASTER}\n`,
    });
    try {
      for (const path of ["/console", "/console/app.js", "/admin/config", "/admin/overview", "/admin/live"]) {
        expect((await fetch(`${off.url}${path}`, { headers: master })).status).toBe(404);
      }
    } finally {
      await off.stop();
    }
  });
});

describe.skipIf(!haveChromium && !inCI)("the console in headless Chromium", () => {
  let context: BrowserContext;
  let page: Page;
  const offHost: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!browser) throw new Error(`CI is set and ${CHROMIUM} is missing: install chromium`);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const origin = new URL(gw.url).origin;
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin) {
        return route.continue();
      }
      offHost.push(url);
      return route.abort("internetdisconnected");
    });
    page = await context.newPage();
    page.setDefaultTimeout(5000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      // The sign-in test's refused keys are 401/403 answers by design; anything else is a fault.
      if (message.type() === "error" && !/status of 40[13]/.test(message.text()))
        pageErrors.push(message.text());
    });
  }, 30_000);

  afterAll(async () => {
    await context?.close();
  });

  async function signIn(key: string): Promise<void> {
    await page.getByLabel("Master key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  test("a wrong key is refused as invalid, a virtual key as not the master key", async () => {
    const response = await page.goto(`${gw.url}/console`);
    expect(response?.status()).toBe(200);
    await signIn("sk-wrong");
    await page.getByRole("alert").filter({ hasText: "invalid" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("That key is invalid");
    await signIn(VIRTUAL);
    await page.getByRole("alert").filter({ hasText: "master key" }).waitFor({ timeout: 5000 });
    expect(await page.getByRole("alert").textContent()).toContain("the console needs the master key");
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, "signin-1280.png") });
  }, 30_000);

  test("the master key signs in; navigation is labelled Overview, Usage, Providers, Live, Config", async () => {
    await signIn(MASTER);
    const nav = page.getByRole("navigation");
    await nav.waitFor();
    expect(await nav.getByRole("link").allTextContents()).toEqual([...PAGES]);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([MASTER]);
  }, 30_000);

  test("Overview shows the totals /admin/overview holds", async () => {
    await page.getByRole("link", { name: "Overview" }).click();
    await page.selectOption("#overview-range", "1h");
    const overview = await adminJson<UsageOverview>("/admin/overview?range=1h");
    const stat = (name: string) => page.locator(`[data-stat="${name}"] .stat-value`).textContent();
    await page.locator('[data-stat="requests"]').waitFor();
    await page.locator(".uplot").first().waitFor();
    expect(await stat("requests")).toBe(String(overview.totals.requests));
    expect(await stat("errors")).toBe(String(overview.totals.errors));
    expect(await stat("input_tokens")).toBe(String(overview.totals.input_tokens));
    expect(await stat("output_tokens")).toBe(String(overview.totals.output_tokens));
    expect(await stat("ttft")).not.toBe("– / –");
    expect(await page.locator(".uplot").count()).toBe(3);
    const topModels = page.getByRole("region", { name: "Top models" });
    expect(await topModels.textContent()).toContain("claude-sonnet-4-5");
    await page.screenshot({ path: join(SCREENSHOTS, "overview-1280.png"), fullPage: true });
  }, 30_000);

  test("Usage shows the /v1/usage totals, filters by key, groups, and exports CSV", async () => {
    await page.getByRole("link", { name: "Usage" }).click();
    await page.locator("#usage-group").waitFor();
    const summary = (await (
      await fetch(`${gw.url}/v1/usage?group_by=model`, { headers: master })
    ).json()) as UsageSummary;
    const usageTable = page.getByRole("region", { name: /^Usage by model/ });
    const totalRow = usageTable.locator("tbody tr").filter({ hasText: "Total" });
    expect((await totalRow.locator("td").nth(1).textContent())?.trim()).toBe(String(summary.totals.requests));
    for (const row of summary.rows) {
      const cells = usageTable
        .locator("tbody tr")
        .filter({ hasText: row.model ?? "(none)" })
        .first()
        .locator("td");
      expect(await cells.nth(1).textContent()).toBe(String(row.requests));
    }
    await page.locator(".uplot").first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "usage-1280.png"), fullPage: true });

    const byKey = (await (
      await fetch(`${gw.url}/v1/usage?group_by=key`, { headers: master })
    ).json()) as UsageSummary;
    const teamRequests = String(byKey.rows.find((row) => row.key === "team-a")!.requests);
    await page.selectOption("#usage-key", "team-a");
    await page.selectOption("#usage-group", "provider");
    const byProvider = page
      .getByRole("region", { name: /^Usage by provider/ })
      .locator("tbody tr")
      .filter({ hasText: "Total" });
    await byProvider.waitFor();
    expect((await byProvider.locator("td").nth(1).textContent())?.trim()).toBe(teamRequests);

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const file = await download;
    const csv = await Bun.file((await file.path())!).text();
    expect(csv.split("\r\n")[0]).toStartWith("Provider,Requests,Errors");
    expect(csv).toContain(`Total,${teamRequests},`);
  }, 30_000);

  test("Providers shows breaker states, the last hour's attempts and the routes", async () => {
    const json = await adminJson<{
      providers: Array<{ name: string; recent: { attempts: number; error_rate: number } }>;
    }>("/admin/providers");
    const openai = json.providers.find((p) => p.name === "openai")!.recent;
    await page.getByRole("link", { name: "Providers" }).click();
    const providers = page.getByRole("region", { name: "Providers", exact: true });
    await providers.waitFor();
    const openaiRow = providers.locator("tbody tr").filter({ hasText: "openai" }).first();
    const cells = await openaiRow.locator("td").allTextContents();
    expect(cells[2]).toBe("closed");
    expect(cells[4]).toBe(String(openai.attempts));
    const rate = openai.error_rate;
    expect(cells[5]).toBe(`${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`);
    const routes = page.getByRole("region", { name: "Routes (as switchboard check prints them)" });
    expect(await routes.textContent()).toContain(
      "ordered: openai/gpt-4o-mini, then anthropic/claude-sonnet-4-5",
    );
    await page.screenshot({ path: join(SCREENSHOTS, "providers-1280.png"), fullPage: true });
  }, 30_000);

  test("Live shows a request made after it opened, and its record on selection", async () => {
    await page.getByRole("link", { name: "Live" }).click();
    await page.getByText("Connected", { exact: false }).waitFor({ timeout: 5000 });
    expect(gw.runtime.live.active).toBe(true);
    mock.enqueue({ error: { status: 500 } });
    const response = await chat("chain");
    const requestId = response.headers.get("x-request-id")!;
    const row = page.locator(`tr[data-request-id="${requestId}"]`);
    await row.waitFor({ timeout: 5000 });
    const text = await row.textContent();
    expect(text).toContain("chain");
    expect(text).toContain("anthropic/claude-sonnet-4-5");
    expect(text).toContain("openai:500 → anthropic:200");
    expect(text).toContain("team-a");
    // Keyboard: focus the row, Enter opens its record.
    await row.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: `Request ${requestId}` }).waitFor();
    expect(await page.getByLabel("Request record").textContent()).toContain('"translated": true');
    await page.screenshot({ path: join(SCREENSHOTS, "live-1280.png"), fullPage: true });
  }, 30_000);

  test("Config shows the version, uptime and resolved config without secrets", async () => {
    await page.getByRole("link", { name: "Config" }).click();
    await page.locator('[data-fact="version"]').waitFor();
    expect(await page.locator('[data-fact="version"]').textContent()).toBe("test");
    const body = (await page.locator("main").textContent()) ?? "";
    expect(body).toContain("ordered: openai/gpt-4o-mini, then anthropic/claude-sonnet-4-5");
    for (const secret of [MASTER, VIRTUAL, "sk-openai-test", "sk-ant-test"])
      expect(body).not.toContain(secret);
    await page.screenshot({ path: join(SCREENSHOTS, "config-1280.png"), fullPage: true });
    // Leaving Live closed its stream: the request path is back to no work.
    expect(gw.runtime.live.active).toBe(false);
  }, 30_000);

  test("every control has a label, and the pages are reachable with the keyboard", async () => {
    for (const name of PAGES) {
      await page.getByRole("link", { name }).click();
      await page.waitForFunction(titleStartsWith, name);
      await page.waitForTimeout(200);
      const unlabelled = await page.evaluate<string[]>(UNLABELLED_CONTROLS);
      expect(unlabelled).toEqual([]);
    }
    // From the top of the page, Tab reaches the navigation; Enter follows the focused link.
    await page.getByRole("link", { name: "Overview" }).click();
    await page.locator("body").focus();
    let reached = "";
    for (let i = 0; i < 8 && reached !== "Usage"; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate<string>('document.activeElement?.textContent ?? ""');
    }
    expect(reached).toBe("Usage");
    await page.keyboard.press("Enter");
    await page.waitForFunction(hashIs, "#/usage");
  }, 30_000);

  test("on a phone-sized viewport every page renders; no request left the gateway, no script error", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const name of PAGES) {
      await page.getByRole("link", { name }).click();
      await page.waitForFunction(titleStartsWith, name);
      await page.waitForTimeout(300);
      const overflow = await page.evaluate<number>(
        "document.documentElement.scrollWidth - window.innerWidth",
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, `${name.toLowerCase()}-phone.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(offHost).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
