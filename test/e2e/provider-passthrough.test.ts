// ANY /p/{provider}/<path> through the real gateway with raw fetch: method, path, query and body
// forwarded to the provider's base URL with the gateway's credentials, both bodies streamed
// (proved by handshakes a buffering proxy would deadlock on), auth, path confinement, usage rows.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Server, serve } from "bun";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { jsonOf, providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { waitForUsageRow } from "../support/usage-db.ts";

const MASTER = "master-secret-pt";
const RAW_KEY = "sk-raw-allowed";
const PLAIN_KEY = "sk-plain-denied";
const dir = mkdtempSync(join(tmpdir(), "switchboard-passthrough-e2e-"));
const dbPath = join(dir, "usage.db");
const encoder = new TextEncoder();

/** Resolvers a streaming test waits on: "the other side has seen chunk n". */
const signals = new Map<string, () => void>();
const waitFor = (name: string) => new Promise<void>((resolve) => signals.set(name, resolve));
const fire = (name: string) => signals.get(name)?.();

let mock: MockUpstream;
/** A provider whose handlers the streaming tests script. */
let files: Server<undefined>;
let uploadChunks: string[] = [];
/** Set when the provider's endless body was cancelled (the gateway let go of it). */
let endlessCancelled = false;
let gw: TestGateway;
let db: Database;

beforeAll(async () => {
  mock = await startMockUpstream();
  files = serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/v1/upload") {
        uploadChunks = [];
        const reader = request.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          uploadChunks.push(new TextDecoder().decode(value));
          fire(`uploaded-${uploadChunks.length}`);
        }
        return Response.json({ received: uploadChunks.join("") }, { status: 201 });
      }
      if (url.pathname === "/v1/download") {
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (sent === 3) return controller.close();
            if (sent > 0) await waitFor(`downloaded-${sent}`);
            sent++;
            controller.enqueue(encoder.encode(`part-${sent};`));
          },
        });
        return new Response(body, {
          headers: { "content-type": "application/octet-stream", "set-cookie": "a=b" },
        });
      }
      if (url.pathname === "/v1/endless") {
        endlessCancelled = false;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            await Bun.sleep(20);
            controller.enqueue(encoder.encode("tick;"));
          },
          cancel() {
            endlessCancelled = true;
          },
        });
        return new Response(body, { headers: { "content-type": "text/plain" } });
      }
      if (url.pathname === "/v1/moved")
        return new Response(null, { status: 302, headers: { location: "http://example.invalid/" } });
      return Response.json({ path: url.pathname }, { status: 404 });
    },
  });
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}  files:
    type: openai
    base_url: http://127.0.0.1:${files.port}/v1
    api_key: sk-files-provider
server:
  body_limit: 64KiB
auth:
  master_key: ${MASTER}
  keys:
    - name: raw
      key: ${RAW_KEY}
      passthrough: true
      models: ["nothing-at-all"]
    - name: plain
      key: ${PLAIN_KEY}
`,
    usageStore: new SqliteUsageStore(dbPath),
  });
  db = new Database(dbPath, { readonly: true });
});

afterAll(async () => {
  db?.close();
  await gw?.stop();
  await mock?.stop();
  await files?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => mock.reset());

type Row = Record<string, unknown>;

const rowOf = (requestId: string): Promise<Row> => waitForUsageRow(gw, db, requestId);

const as = (key: string, init: RequestInit & { headers?: Record<string, string> } = {}): RequestInit => ({
  ...init,
  headers: { authorization: `Bearer ${key}`, ...init.headers },
});

/** A request line sent as is, without the client normalizing its path; the status line back. */
function rawRequest(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(gw.port, "127.0.0.1", () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${MASTER}\r\nconnection: close\r\n\r\n`,
      );
    });
    let data = "";
    socket.on("data", (chunk) => {
      data += chunk.toString();
    });
    socket.on("end", () => resolve(data.split("\r\n")[0] ?? ""));
    socket.on("error", reject);
  });
}

describe("forwarding", () => {
  test("GET with a query: the provider's base URL, the gateway's key, the client's key never", async () => {
    const response = await fetch(
      `${gw.url}/p/openai/models?limit=2&after=gpt%2F4`,
      as(MASTER, { headers: { cookie: "session=1", "x-switchboard-debug": "upstream", "openai-beta": "x" } }),
    );
    expect(response.status).toBe(200);
    expect((await jsonOf(response)).object).toBe("list");
    expect(response.headers.get("x-switchboard-provider")).toBe("openai");
    const upstream = mock.requests[0]!;
    expect(upstream.method).toBe("GET");
    expect(upstream.path).toBe("/v1/models");
    expect(upstream.search).toBe("?limit=2&after=gpt%2F4");
    expect(upstream.headers.authorization).toBe("Bearer sk-openai-test");
    expect(upstream.headers["openai-beta"]).toBe("x");
    expect(upstream.headers.cookie).toBeUndefined();
    expect(upstream.headers["x-switchboard-debug"]).toBeUndefined();
    expect(JSON.stringify(upstream.headers)).not.toContain(MASTER);
  });

  test("POST to an Anthropic-type provider: x-api-key swapped, anthropic-version defaulted", async () => {
    const body = JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 5,
      messages: [{ role: "user", content: "hey" }],
    });
    const response = await fetch(`${gw.url}/p/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": RAW_KEY, "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(200);
    expect((await jsonOf(response)).content[0].text).toBe("echo: hey");
    const upstream = mock.requests[0]!;
    expect(upstream.method).toBe("POST");
    expect(upstream.path).toBe("/v1/messages");
    expect(upstream.headers["x-api-key"]).toBe("sk-ant-test");
    expect(upstream.headers["anthropic-version"]).toBe("2023-06-01");
    expect(upstream.headers.authorization).toBeUndefined();
    expect(upstream.bodyText).toBe(body);
  });

  test("Gemini: x-goog-api-key from the gateway; the client's Authorization dropped", async () => {
    await fetch(`${gw.url}/p/gemini/v1beta/models/gemini-2.5-flash:generateContent?alt=json`, {
      ...as(RAW_KEY),
      method: "POST",
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
    });
    const upstream = mock.requests[0]!;
    expect(upstream.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(upstream.search).toBe("?alt=json");
    expect(upstream.headers["x-goog-api-key"]).toBe("gm-test");
    expect(upstream.headers.authorization).toBeUndefined();
  });

  test("other methods and the upstream's own statuses and bodies pass through as they are", async () => {
    const deleted = await fetch(`${gw.url}/p/openai/files/file-1`, { ...as(MASTER), method: "DELETE" });
    expect(mock.requests[0]!.method).toBe("DELETE");
    expect(deleted.status).toBe(404); // the mock has no such endpoint: its own 404 body
    expect((await jsonOf(deleted)).error.message).toBe("mock upstream: no such endpoint");

    const moved = await fetch(`${gw.url}/p/files/moved`, { ...as(MASTER), redirect: "manual" });
    expect(moved.status).toBe(302); // returned, never followed with the gateway's credentials
    expect(moved.headers.get("location")).toBe("http://example.invalid/");
  });
});

describe("streaming both ways", () => {
  test("the upload reaches the provider chunk by chunk while the client is still sending", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 3) return controller.close();
        // A buffering proxy would never pass chunk n on before the body ends: this would hang.
        if (sent > 0) await waitFor(`uploaded-${sent}`);
        sent++;
        controller.enqueue(encoder.encode(`chunk-${sent};`));
      },
    });
    const response = await fetch(`${gw.url}/p/files/upload`, {
      ...as(RAW_KEY, { headers: { "content-type": "application/octet-stream" } }),
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(201);
    expect(await jsonOf(response)).toEqual({ received: "chunk-1;chunk-2;chunk-3;" });
    expect(uploadChunks.length).toBeGreaterThanOrEqual(3);

    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      endpoint: "passthrough",
      key_name: "raw",
      provider: "files",
      status: 201,
      bytes_up: 24,
      model_requested: null,
      input_tokens: 0,
    });
    expect(row.bytes_down).toBe(JSON.stringify({ received: "chunk-1;chunk-2;chunk-3;" }).length);
  });

  test("the download reaches the client chunk by chunk while the provider is still sending", async () => {
    const response = await fetch(`${gw.url}/p/files/download`, as(MASTER));
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
    const reader = response.body!.getReader();
    let text = "";
    for (let n = 1; ; n++) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      // The provider sends part n+1 only once the client has part n.
      fire(`downloaded-${n}`);
    }
    expect(text).toBe("part-1;part-2;part-3;");
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ endpoint: "passthrough", status: 200, bytes_up: 0, bytes_down: 21 });
  });

  test("a client that leaves mid-download stops the provider's body; the row says client_gone", async () => {
    const response = await fetch(`${gw.url}/p/files/endless`, as(MASTER));
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("tick;");
    await reader.cancel();
    for (let i = 0; i < 100 && !endlessCancelled; i++) await Bun.sleep(20);
    expect(endlessCancelled).toBe(true);
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row.error_type).toBe("client_gone");
    expect(row.bytes_down as number).toBeGreaterThan(0);
  });

  test("a body over server.body_limit is a 413, declared or streamed", async () => {
    const big = "x".repeat(70 * 1024);
    const declared = await fetch(`${gw.url}/p/files/upload`, { ...as(MASTER), method: "POST", body: big });
    expect(declared.status).toBe(413);

    let sent = 0;
    const chunked = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 10) return controller.close();
        controller.enqueue(encoder.encode("y".repeat(10 * 1024)));
      },
    });
    const streamed = await fetch(`${gw.url}/p/files/upload`, {
      ...as(MASTER),
      method: "POST",
      body: chunked,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await jsonOf(streamed)).error.code).toBe("request_too_large");
  });
});

describe("who may use it, and where it may go", () => {
  test("401 without a key, 403 for a virtual key without passthrough, the allow-list not applied", async () => {
    const anonymous = await fetch(`${gw.url}/p/openai/models`);
    expect(anonymous.status).toBe(401);
    expect((await jsonOf(anonymous)).error.type).toBe("authentication_error");

    const plain = await fetch(`${gw.url}/p/openai/models`, as(PLAIN_KEY));
    expect(plain.status).toBe(403);
    expect((await jsonOf(plain)).error.code).toBe("passthrough_not_allowed");

    // `raw` may use no model at all, yet the pass-through is granted to it as such.
    expect((await fetch(`${gw.url}/p/openai/models`, as(RAW_KEY))).status).toBe(200);
    expect(mock.requests).toHaveLength(1);
  });

  test("an unknown provider is a 404 in OpenAI's envelope", async () => {
    const response = await fetch(`${gw.url}/p/nowhere/v1/models`, as(MASTER));
    expect(response.status).toBe(404);
    const body = await jsonOf(response);
    expect(body.error.code).toBe("provider_not_found");
    expect(body.error.message).toContain("'nowhere'");
  });

  test("path traversal is refused or confined to the base URL, raw or percent-encoded", async () => {
    for (const path of [
      "/p/openai/../x",
      "/p/openai/../../etc/passwd",
      "/p/openai/%2e%2e/x",
      "/p/openai/%2E%2E/%2e%2e/x",
      "/p/openai/a/..%2f..%2fx",
      "/p/openai/.%2e/x",
      "/p/openai/..%5cx",
    ]) {
      const status = await rawRequest(path);
      expect(status).toMatch(/^HTTP\/1\.1 (400|404) /);
    }
    // Whatever the server's URL parsing did, nothing reached the provider outside its base URL.
    for (const request of mock.requests) expect(request.path.startsWith("/v1/")).toBe(true);
    // The client-side normalized form is simply another path: /p/x has no provider segment.
    expect((await fetch(`${gw.url}/p/openai/%2e%2e/x`, as(MASTER))).status).toBe(404);
    expect(mock.requests).toHaveLength(0);
  });
});
