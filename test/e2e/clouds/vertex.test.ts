/**
 * Google Vertex AI through the gateway, with the official SDKs, against a loopback Vertex whose
 * token endpoint verifies the service account's RS256 JWT and issues expiring tokens: Gemini on
 * Vertex paths, Claude on :rawPredict / :streamRawPredict, one token shared by concurrent
 * requests, a refresh before expiry, and credentials that never show.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { ConfigError, formatConfigProblems } from "../../../src/config/config-error.ts";
import { loadConfigFromText } from "../../../src/config/load-config.ts";
import { type CloudGateway, startCloudGateway } from "../../support/clouds/cloud-gateway.ts";
import {
  generateServiceAccountKey,
  type MockVertex,
  startMockVertex,
  writeServiceAccountFile,
} from "../../support/clouds/mock-vertex.ts";
import { startTestGateway, type TestGateway } from "../../support/gateway.ts";
import type { MockUpstream } from "../../support/mock-upstream.ts";

let mock: MockUpstream;
let vertex: MockVertex;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;
let wrongKeyFile: string;

let suite: CloudGateway<MockVertex>;

beforeAll(async () => {
  suite = await startCloudGateway(
    (upstream) => startMockVertex(upstream),
    async (vertex) => {
      // A service account whose key the token endpoint does not know.
      const { pem } = await generateServiceAccountKey();
      wrongKeyFile = writeServiceAccountFile({
        type: "service_account",
        project_id: vertex.project,
        private_key: pem,
        client_email: `switchboard@${vertex.project}.iam.gserviceaccount.com`,
        token_uri: `${vertex.url}/token`,
      });
      return {
        yaml: `providers:
  vertex:
    base_url: ${vertex.url}
    location: us-east5
    credentials: \${GOOGLE_APPLICATION_CREDENTIALS}
  vertex-wrong:
    type: vertex
    base_url: ${vertex.url}
    project: ${vertex.project}
    credentials: ${wrongKeyFile}
routing:
  retries: 0
`,
        env: { GOOGLE_APPLICATION_CREDENTIALS: vertex.credentialsFile },
      };
    },
  );
  ({ mock, cloud: vertex, gw, openai, anthropic } = suite);
});

afterAll(() => suite?.stop());

beforeEach(() => suite.reset());

const CLAUDE = "claude-sonnet-4-5@20250929";

describe("Vertex AI (type: vertex)", () => {
  test("Gemini: generateContent on the Vertex path of the project and location, with an OAuth bearer token", async () => {
    const answer = await openai.chat.completions.create({
      model: "vertex/gemini-2.5-flash",
      messages: [{ role: "user", content: "hello vertex" }],
    });
    expect(answer.choices[0]?.message.content).toBe("echo: hello vertex");
    const seen = vertex.seen[0]!;
    expect(seen.url.pathname).toBe(
      "/v1/projects/test-project/locations/us-east5/publishers/google/models/gemini-2.5-flash:generateContent",
    );
    expect(seen.headers.get("authorization")).toStartWith("Bearer ya29.test-");
  });

  test("Gemini: a stream on :streamGenerateContent?alt=sse, to the OpenAI SDK", async () => {
    const stream = await openai.chat.completions.create({
      model: "vertex/gemini-2.5-flash",
      messages: [{ role: "user", content: "stream vertex" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("echo: stream vertex");
    expect(vertex.seen[0]!.url.pathname).toEndWith(":streamGenerateContent");
    expect(vertex.seen[0]!.url.search).toBe("?alt=sse");
  });

  test("Claude: the Anthropic SDK on :rawPredict, anthropic_version in the body and no model", async () => {
    const message = await anthropic.messages.create({
      model: `vertex/${CLAUDE}`,
      max_tokens: 100,
      messages: [{ role: "user", content: "claude on vertex" }],
    });
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: claude on vertex" });
    const seen = vertex.seen[0]!;
    expect(seen.url.pathname).toBe(
      `/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/${encodeURIComponent(CLAUDE)}:rawPredict`,
    );
    const body = JSON.parse(new TextDecoder().decode(seen.body)) as Record<string, unknown>;
    expect(body.anthropic_version).toBe("vertex-2023-10-16");
    expect(body.model).toBeUndefined();
    expect(seen.headers.get("anthropic-version")).toBeNull();
  });

  test("Claude: a stream on :streamRawPredict reaches the Anthropic SDK", async () => {
    const stream = anthropic.messages.stream({
      model: `vertex/${CLAUDE}`,
      max_tokens: 100,
      messages: [{ role: "user", content: "stream claude" }],
    });
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: stream claude" });
    expect(vertex.seen[0]!.url.pathname).toEndWith(":streamRawPredict");
  });

  test("Claude: an OpenAI client is translated and streamed", async () => {
    const stream = await openai.chat.completions.create({
      model: `vertex/${CLAUDE}`,
      messages: [{ role: "user", content: "openai to claude" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("echo: openai to claude");
  });

  test("a service account the token endpoint does not know: 502 upstream_auth_failed, no key or token shown", async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "vertex-wrong/gemini-2.5-flash",
        messages: [{ role: "user", content: "x" }],
      }),
    });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(text).toContain("could not get an access token");
    expect(text).toContain("HTTP 400");
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain("eyJ");
    expect(mock.requests).toHaveLength(0);
    expect(JSON.stringify(gw.logs)).not.toContain("PRIVATE KEY");
  });
});

describe("Vertex token refresh", () => {
  test("ten concurrent first requests share one token request", async () => {
    const local = await startMockVertex(mock, "shared-project");
    const gateway = await startTestGateway({
      yaml: `providers:\n  vertex:\n    base_url: ${local.url}\n    credentials: ${local.credentialsFile}\n`,
    });
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "x", maxRetries: 0 });
      await Promise.all(
        Array.from({ length: 10 }, () =>
          client.chat.completions.create({
            model: "vertex/gemini-2.5-flash",
            messages: [{ role: "user", content: "x" }],
          }),
        ),
      );
      expect(local.tokenRequests).toBe(1);
      expect(new Set(local.seen.map((r) => r.headers.get("authorization"))).size).toBe(1);
    } finally {
      await gateway.stop();
      await local.stop();
    }
  });

  test("a token about to expire is refreshed before use; the new one is sent", async () => {
    const local = await startMockVertex(mock, "refresh-project");
    // 301 s: inside the 5-minute refresh margin one second after it is issued.
    local.tokenLifetimeSeconds = 301;
    const gateway = await startTestGateway({
      yaml: `providers:\n  vertex:\n    base_url: ${local.url}\n    credentials: ${local.credentialsFile}\n`,
    });
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "x", maxRetries: 0 });
      const call = () =>
        client.chat.completions.create({
          model: "vertex/gemini-2.5-flash",
          messages: [{ role: "user", content: "x" }],
        });
      await call();
      await call();
      expect(local.tokenRequests).toBe(1);
      await Bun.sleep(1100);
      await call();
      expect(local.tokenRequests).toBe(2);
      expect(local.seen[2]!.headers.get("authorization")).toBe(`Bearer ${local.issued[1]}`);
      expect(local.seen[2]!.url.pathname).toContain("/locations/global/");
    } finally {
      await gateway.stop();
      await local.stop();
    }
  });
});

describe("Vertex config", () => {
  test("location global → aiplatform.googleapis.com; a region → {region}-aiplatform.googleapis.com; project from the file", () => {
    const config = loadConfigFromText(
      `providers:\n  vertex:\n    credentials: ${vertex.credentialsFile}\n  vertex-east:\n    type: vertex\n    location: us-east5\n    project: other\n    credentials: ${vertex.credentialsFile}\n`,
      "/tmp/switchboard-test/switchboard.yaml",
      {},
    );
    expect(config.providers[0]).toMatchObject({
      baseUrl: "https://aiplatform.googleapis.com",
      vertex: { project: "test-project", location: "global" },
    });
    expect(config.providers[1]).toMatchObject({
      baseUrl: "https://us-east5-aiplatform.googleapis.com",
      vertex: { project: "other", location: "us-east5" },
    });
  });

  test("a missing credentials file is a config error naming the setting, not the file's contents", () => {
    let error: unknown;
    try {
      loadConfigFromText(
        "providers:\n  vertex:\n    project: p\n    credentials: /nonexistent/sa.json\n",
        "/tmp/switchboard-test/switchboard.yaml",
        {},
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = formatConfigProblems(error as ConfigError);
    expect(problems).toContain("providers.vertex.credentials");
    expect(problems).toContain("ENOENT");
  });
});

describe("Vertex credentials in the debug view", () => {
  test("the OAuth bearer token is redacted", async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-switchboard-debug": "upstream" },
      body: JSON.stringify({
        model: "vertex/gemini-2.5-flash",
        messages: [{ role: "user", content: "debug" }],
      }),
    });
    const text = await res.text();
    expect(JSON.parse(text).switchboard_debug.headers.authorization).toBe("[redacted]");
    for (const token of vertex.issued) expect(text).not.toContain(token);
  });
});
