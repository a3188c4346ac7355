/**
 * Vertex AI with no key file: tokens from the Google metadata server (GCE, GKE, Cloud Run), found
 * through GCE_METADATA_HOST as Google's client libraries find it, against the loopback Vertex's
 * metadata route (it refuses requests without `Metadata-Flavor: Google`). The official SDKs
 * through the gateway: text and streams, one refresh shared by concurrent requests, and a prompt
 * 502 naming the metadata server when there is none (a laptop).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type Anthropic from "@anthropic-ai/sdk";
import { type Socket, listen as tcpListen } from "bun";
import OpenAI from "openai";
import { describeConfig } from "../../../src/cli/describe-config.ts";
import { ConfigError, formatConfigProblems } from "../../../src/config/config-error.ts";
import { loadConfigFromText } from "../../../src/config/load-config.ts";
import { type CloudGateway, startCloudGateway } from "../../support/clouds/cloud-gateway.ts";
import { type MockVertex, startMockVertex } from "../../support/clouds/mock-vertex.ts";
import { startTestGateway, type TestGateway } from "../../support/gateway.ts";
import type { MockUpstream } from "../../support/mock-upstream.ts";

let mock: MockUpstream;
let vertex: MockVertex;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

const SOURCE = "/tmp/switchboard-test/switchboard.yaml";
const CLAUDE = "claude-sonnet-4-5@20250929";

let suite: CloudGateway<MockVertex>;

beforeAll(async () => {
  suite = await startCloudGateway(
    (upstream) => startMockVertex(upstream, "metadata-project"),
    (vertex) => ({
      yaml: `providers:
  vertex:
    base_url: ${vertex.url}
    project: metadata-project
    location: us-east5
routing:
  retries: 0
`,
      env: { GCE_METADATA_HOST: vertex.host },
    }),
  );
  ({ mock, cloud: vertex, gw, openai, anthropic } = suite);
});

afterAll(() => suite?.stop());

beforeEach(() => suite.reset());

describe("Vertex AI on the metadata server's credentials", () => {
  test("Gemini text: a token from the metadata server, sent as the bearer; no service-account exchange", async () => {
    const answer = await openai.chat.completions.create({
      model: "vertex/gemini-2.5-flash",
      messages: [{ role: "user", content: "hello metadata" }],
    });
    expect(answer.choices[0]?.message.content).toBe("echo: hello metadata");
    expect(vertex.metadataRequests).toBeGreaterThanOrEqual(1);
    expect(vertex.tokenRequests).toBe(0);
    const seen = vertex.seen[0]!;
    expect(seen.url.pathname).toBe(
      "/v1/projects/metadata-project/locations/us-east5/publishers/google/models/gemini-2.5-flash:generateContent",
    );
    expect(seen.headers.get("authorization")).toStartWith("Bearer ya29.metadata-");
  });

  test("Gemini stream to the OpenAI SDK, Claude stream to the Anthropic SDK", async () => {
    const stream = await openai.chat.completions.create({
      model: "vertex/gemini-2.5-flash",
      messages: [{ role: "user", content: "stream metadata" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("echo: stream metadata");
    const message = await anthropic.messages
      .stream({
        model: `vertex/${CLAUDE}`,
        max_tokens: 100,
        messages: [{ role: "user", content: "claude via metadata" }],
      })
      .finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: claude via metadata" });
    expect(vertex.seen[1]!.url.pathname).toEndWith(":streamRawPredict");
    expect(vertex.rejections).toHaveLength(0);
  });

  test("the token is redacted in the debug view", async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-switchboard-debug": "upstream" },
      body: JSON.stringify({ model: "vertex/gemini-2.5-flash", messages: [{ role: "user", content: "d" }] }),
    });
    const text = await res.text();
    expect(JSON.parse(text).switchboard_debug.headers.authorization).toBe("[redacted]");
    for (const token of vertex.issued) expect(text).not.toContain(token);
  });
});

describe("metadata-server token refresh", () => {
  test("concurrent first requests share one token request; a token about to expire is refreshed once for concurrent requests", async () => {
    const local = await startMockVertex(mock, "refresh-project");
    // 301 s: inside the 5-minute refresh margin one second after it is issued.
    local.tokenLifetimeSeconds = 301;
    const gateway = await startTestGateway({
      yaml: `providers:\n  vertex:\n    base_url: ${local.url}\n    project: refresh-project\n    credentials: metadata\n`,
      // credentials: metadata wins over a key file in the environment.
      env: { GCE_METADATA_HOST: local.host, GOOGLE_APPLICATION_CREDENTIALS: local.credentialsFile },
    });
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "x", maxRetries: 0 });
      const call = () =>
        client.chat.completions.create({
          model: "vertex/gemini-2.5-flash",
          messages: [{ role: "user", content: "x" }],
        });
      await Promise.all(Array.from({ length: 8 }, call));
      expect(local.metadataRequests).toBe(1);
      expect(local.tokenRequests).toBe(0);
      await call();
      expect(local.metadataRequests).toBe(1);
      await Bun.sleep(1100);
      await Promise.all(Array.from({ length: 8 }, call));
      expect(local.metadataRequests).toBe(2);
      const bearers = local.seen.slice(9).map((r) => r.headers.get("authorization"));
      expect(new Set(bearers)).toEqual(new Set([`Bearer ${local.issued[1]}`]));
    } finally {
      await gateway.stop();
      await local.stop();
    }
  });
});

describe("no metadata server (a laptop)", () => {
  async function expectPrompt502(metadataHost: string, routing: string): Promise<string> {
    const local = await startMockVertex(mock, "p");
    const gateway = await startTestGateway({
      yaml: `providers:\n  vertex:\n    base_url: ${local.url}\n    project: p\n${routing}`,
      env: { GCE_METADATA_HOST: metadataHost },
    });
    try {
      const startedAt = performance.now();
      const error = await new OpenAI({
        baseURL: `${gateway.url}/v1`,
        apiKey: "x",
        maxRetries: 0,
      }).chat.completions
        .create({ model: "vertex/gemini-2.5-flash", messages: [{ role: "user", content: "x" }] })
        .catch((e: unknown) => e);
      const elapsed = performance.now() - startedAt;
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(502);
      expect(apiError.code).toBe("upstream_auth_failed");
      expect(elapsed).toBeLessThan(3000);
      expect(local.seen).toHaveLength(0);
      return apiError.message;
    } finally {
      await gateway.stop();
      await local.stop();
    }
  }

  test("nothing listening: a prompt 502 naming the metadata server and why it was used (default retries)", async () => {
    // A port that was just free: connection refused at once.
    const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
    const port = probe.port;
    await probe.stop(true);
    const message = await expectPrompt502(`127.0.0.1:${port}`, "");
    expect(message).toContain(`the Google metadata server at http://127.0.0.1:${port} could not be reached`);
    expect(message).toContain("no credentials file, GOOGLE_APPLICATION_CREDENTIALS or api_key");
  });

  test("a host that accepts and never answers: the 2 s timeout, then failing fast for the retry", async () => {
    const held: Socket[] = [];
    let connections = 0;
    const blackHole = tcpListen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        open(socket) {
          connections++;
          held.push(socket);
        },
        data() {},
      },
    });
    try {
      const message = await expectPrompt502(`127.0.0.1:${blackHole.port}`, "routing:\n  retries: 1\n");
      expect(message).toContain("could not be reached (no answer within 2 s)");
      // The retry did not wait for the timeout again.
      expect(connections).toBe(1);
    } finally {
      for (const socket of held) socket.end();
      blackHole.stop(true);
    }
  });
});

describe("metadata-server config", () => {
  test("no credentials, no GOOGLE_APPLICATION_CREDENTIALS, no api_key: the metadata server; check says so", () => {
    const config = loadConfigFromText("providers:\n  vertex:\n    project: p\n", SOURCE, {});
    const source = config.providers[0]!.keys[0]!.tokenSource;
    expect(source?.describe()).toContain("metadata server (http://metadata.google.internal;");
    expect(describeConfig(config)).toContain(
      "credentials: metadata server (http://metadata.google.internal;",
    );
  });

  test("GCE_METADATA_HOST (host:port) overrides the host; credentials: metadata is explicit", () => {
    const config = loadConfigFromText(
      "providers:\n  vertex:\n    project: p\n    credentials: metadata\n",
      SOURCE,
      { GCE_METADATA_HOST: "10.0.0.9:8080" },
    );
    expect(config.providers[0]!.keys[0]!.tokenSource?.describe()).toContain(
      "metadata server (http://10.0.0.9:8080;",
    );
  });

  test("the project is still required (from the config or GOOGLE_CLOUD_PROJECT)", () => {
    let error: unknown;
    try {
      loadConfigFromText("providers:\n  vertex: {}\n", SOURCE, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(formatConfigProblems(error as ConfigError)).toContain("providers.vertex.project");
    expect(formatConfigProblems(error as ConfigError)).toContain("is required: the Google Cloud project id");
    const config = loadConfigFromText("providers:\n  vertex: {}\n", SOURCE, {
      GOOGLE_CLOUD_PROJECT: "env-p",
    });
    expect(config.providers[0]!.vertex?.project).toBe("env-p");
  });

  test("an api_key still wins: no token source", () => {
    const config = loadConfigFromText("providers:\n  vertex:\n    project: p\n    api_key: k\n", SOURCE, {});
    expect(config.providers[0]!.keys[0]).toMatchObject({ secret: "k" });
    expect(config.providers[0]!.keys[0]!.tokenSource).toBeUndefined();
  });
});
