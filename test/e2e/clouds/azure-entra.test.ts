/**
 * Azure OpenAI with Entra ID client credentials, through the gateway with the official SDKs,
 * against a loopback Azure that is its own Entra authority (AZURE_AUTHORITY_HOST / authority_host):
 * the token endpoint checks the client-credentials form and issues expiring tokens, the resource
 * accepts only those. Text and streams, one refresh shared by concurrent requests, and a wrong
 * client secret that is a 502 without the secret anywhere (the mock echoes it in its error).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describeConfig } from "../../../src/cli/describe-config.ts";
import { ConfigError, formatConfigProblems } from "../../../src/config/config-error.ts";
import { loadConfigFromText } from "../../../src/config/load-config.ts";
import { zeroConfig } from "../../../src/config/zero-config.ts";
import { type CloudGateway, startCloudGateway } from "../../support/clouds/cloud-gateway.ts";
import { COGNITIVE_SERVICES_SCOPE, type MockAzure, startMockAzure } from "../../support/clouds/mock-azure.ts";
import { startTestGateway, type TestGateway } from "../../support/gateway.ts";
import type { MockUpstream } from "../../support/mock-upstream.ts";

const SOURCE = "/tmp/switchboard-test/switchboard.yaml";
const ENTRA = {
  tenantId: "11111111-2222-3333-4444-555555555555",
  clientId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
  clientSecret: "entra-secret~Q8x.7c4f19d2",
};
const WRONG_SECRET = "wrong-secret~Z1y.93ab0e77";

let mock: MockUpstream;
let azure: MockAzure;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

let suite: CloudGateway<MockAzure>;

beforeAll(async () => {
  suite = await startCloudGateway(
    (upstream) => startMockAzure({ upstream, apiKey: "unused-api-key", entra: ENTRA }),
    (azure) => ({
      yaml: `providers:
  azure:
    base_url: ${azure.url}
    api_version: 2024-10-21
    deployments: { gpt-5.4: prod-gpt54 }
    # tenant_id, client_id, client_secret from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET
  azure-wrong:
    type: azure
    base_url: ${azure.url}
    tenant_id: ${ENTRA.tenantId}
    client_id: \${AZURE_CLIENT_ID}
    client_secret: \${WRONG_SECRET}
    authority_host: ${azure.url}
routing:
  retries: 0
`,
      env: {
        AZURE_TENANT_ID: ENTRA.tenantId,
        AZURE_CLIENT_ID: ENTRA.clientId,
        AZURE_CLIENT_SECRET: ENTRA.clientSecret,
        AZURE_AUTHORITY_HOST: `${azure.url}/`,
        WRONG_SECRET,
      },
    }),
  );
  ({ mock, cloud: azure, gw, openai, anthropic } = suite);
});

afterAll(() => suite?.stop());

beforeEach(() => suite.reset());

describe("Azure OpenAI on Entra ID client credentials", () => {
  test("text: the client-credentials form at {authority}/{tenant}/oauth2/v2.0/token, the token as bearer", async () => {
    const answer = await openai.chat.completions.create({
      model: "azure/gpt-5.4",
      messages: [{ role: "user", content: "hello entra" }],
    });
    expect(answer.choices[0]?.message.content).toBe("echo: hello entra");
    const form = azure.tokenForms[0]!;
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "client_credentials",
      client_id: ENTRA.clientId,
      client_secret: ENTRA.clientSecret,
      scope: COGNITIVE_SERVICES_SCOPE,
    });
    const seen = azure.seen[0]!;
    expect(seen.url.pathname).toBe("/openai/deployments/prod-gpt54/chat/completions");
    expect(seen.headers.get("authorization")).toBe(`Bearer ${azure.issued[0]}`);
    expect(seen.headers.get("api-key")).toBeNull();
  });

  test("streams: the OpenAI SDK, and an Anthropic SDK client translated", async () => {
    const stream = await openai.chat.completions.create({
      model: "azure/gpt-5.4",
      messages: [{ role: "user", content: "stream entra" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("echo: stream entra");
    const message = await anthropic.messages
      .stream({
        model: "azure/gpt-5.4",
        max_tokens: 100,
        messages: [{ role: "user", content: "claude sdk" }],
      })
      .finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: claude sdk" });
    expect(azure.rejections).toHaveLength(0);
    // Cached: still the first token.
    expect(azure.tokenRequests).toBe(1);
  });

  test("a wrong client secret: 502 upstream_auth_failed naming Entra's codes; the secret nowhere", async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-switchboard-debug": "upstream" },
      body: JSON.stringify({ model: "azure-wrong/gpt-5.4", messages: [{ role: "user", content: "x" }] }),
    });
    expect(res.status).toBe(502);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.error.code).toBe("upstream_auth_failed");
    expect(body.error.message).toBe(
      `Provider 'azure-wrong' could not get an access token: Entra ID (${azure.url}, tenant ${ENTRA.tenantId}) answered HTTP 401 (invalid_client, AADSTS7000215).`,
    );
    for (const secret of [WRONG_SECRET, ENTRA.clientSecret]) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(gw.logs)).not.toContain(secret);
    }
    expect(azure.seen).toHaveLength(0);
    expect(mock.requests).toHaveLength(0);
  });

  test("the debug view redacts the bearer token", async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-switchboard-debug": "upstream" },
      body: JSON.stringify({ model: "azure/gpt-5.4", messages: [{ role: "user", content: "debug" }] }),
    });
    const text = await res.text();
    expect(JSON.parse(text).switchboard_debug.headers.authorization).toBe("[redacted]");
    for (const token of azure.issued) expect(text).not.toContain(token);
    expect(text).not.toContain(ENTRA.clientSecret);
  });
});

describe("Entra token refresh", () => {
  test("concurrent first requests share one token request; a token about to expire is refreshed once for concurrent requests", async () => {
    const local = await startMockAzure({ upstream: mock, apiKey: "unused", entra: ENTRA });
    // 301 s: inside the 5-minute refresh margin one second after it is issued.
    local.tokenLifetimeSeconds = 301;
    const gateway = await startTestGateway({
      yaml: `providers:
  azure:
    base_url: ${local.url}
    tenant_id: ${ENTRA.tenantId}
    client_id: ${ENTRA.clientId}
    client_secret: \${SECRET}
    authority_host: ${local.url}
`,
      env: { SECRET: ENTRA.clientSecret },
    });
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "x", maxRetries: 0 });
      const call = () =>
        client.chat.completions.create({
          model: "azure/gpt-5.4",
          messages: [{ role: "user", content: "x" }],
        });
      await Promise.all(Array.from({ length: 8 }, call));
      expect(local.tokenRequests).toBe(1);
      await call();
      expect(local.tokenRequests).toBe(1);
      await Bun.sleep(1100);
      await Promise.all(Array.from({ length: 8 }, call));
      expect(local.tokenRequests).toBe(2);
      const bearers = local.seen.slice(9).map((r) => r.headers.get("authorization"));
      expect(new Set(bearers)).toEqual(new Set([`Bearer ${local.issued[1]}`]));
      expect(local.seen[0]!.url.pathname).toBe("/openai/v1/chat/completions");
    } finally {
      await gateway.stop();
      await local.stop();
    }
  });
});

describe("Entra config", () => {
  function problemsOf(yaml: string, env: Record<string, string> = {}): string {
    try {
      loadConfigFromText(yaml, SOURCE, env);
    } catch (error) {
      if (error instanceof ConfigError) return formatConfigProblems(error);
      throw error;
    }
    throw new Error("the config loaded; expected problems");
  }

  test("check names the tenant and client, never the secret", () => {
    const config = loadConfigFromText(
      `providers:\n  azure:\n    base_url: https://r.openai.azure.com\n    tenant_id: t-1\n    client_id: c-1\n    client_secret: file-secret-4d2e\n`,
      SOURCE,
      {},
    );
    const provider = config.providers[0]!;
    expect(provider.azure?.auth).toBe("bearer");
    const text = describeConfig(config);
    expect(text).toContain("auth: Entra ID client credentials (tenant t-1, client c-1;");
    expect(text).not.toContain("file-secret-4d2e");
    expect(provider.keys[0]!.tokenSource?.secrets()).toContain("file-secret-4d2e");
  });

  test("some but not all of the three: each missing one named", () => {
    const problems = problemsOf(
      "providers:\n  azure:\n    base_url: https://r.openai.azure.com\n    client_secret: file-secret-4d2e\n",
    );
    expect(problems).toContain("providers.azure.tenant_id");
    expect(problems).toContain("providers.azure.client_id");
    expect(problems).toContain("AZURE_TENANT_ID");
    expect(problems).not.toContain("file-secret-4d2e");
  });

  test("api_key and client credentials together are an error; api_key alone ignores the AZURE_* variables", () => {
    expect(
      problemsOf(
        "providers:\n  azure:\n    base_url: https://r.openai.azure.com\n    api_key: k\n    client_secret: file-secret-4d2e\n",
      ),
    ).toContain("not both");
    const config = loadConfigFromText(
      "providers:\n  azure:\n    base_url: https://r.openai.azure.com\n    api_key: k\n",
      SOURCE,
      { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" },
    );
    expect(config.providers[0]!.keys[0]).toMatchObject({ secret: "k" });
    expect(config.providers[0]!.keys[0]!.tokenSource).toBeUndefined();
  });

  test("client_secret is a secret field: a wrong value is described by its kind, never echoed", () => {
    const problems = problemsOf(
      "providers:\n  azure:\n    base_url: https://r.openai.azure.com\n    client_secret: [file-secret-4d2e]\n",
    );
    expect(problems).toContain("providers.azure.client_secret");
    expect(problems).not.toContain("file-secret-4d2e");
  });

  test("client credentials on another type are an error naming azure", () => {
    expect(problemsOf("providers:\n  openai:\n    client_secret: x\n")).toContain(
      "applies to type azure only",
    );
  });

  test("authority_host must be an http(s) host", () => {
    expect(
      problemsOf(
        "providers:\n  azure:\n    base_url: https://r.openai.azure.com\n    tenant_id: t\n    client_id: c\n    client_secret: s\n    authority_host: login.example\n",
      ),
    ).toContain("providers.azure.authority_host");
  });
});

describe("Entra zero-config", () => {
  test("AZURE_OPENAI_ENDPOINT and AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET (no key) enable Entra", () => {
    const config = zeroConfig({
      AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com/",
      AZURE_TENANT_ID: "t",
      AZURE_CLIENT_ID: "c",
      AZURE_CLIENT_SECRET: "env-secret-77",
      AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us",
    });
    const provider = config.providers.find((p) => p.name === "azure");
    expect(provider).toMatchObject({
      type: "azure",
      baseUrl: "https://r.openai.azure.com",
      azure: { auth: "bearer" },
    });
    expect(provider?.keys[0]?.tokenSource?.describe()).toContain("tenant t, client c");
    expect(describeConfig(config)).not.toContain("env-secret-77");
  });

  test("an API key wins over client credentials; a partial set enables nothing", () => {
    const withKey = zeroConfig({
      AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
      AZURE_OPENAI_API_KEY: "k",
      AZURE_TENANT_ID: "t",
      AZURE_CLIENT_ID: "c",
      AZURE_CLIENT_SECRET: "s",
    }).providers.find((p) => p.name === "azure");
    expect(withKey?.keys[0]).toMatchObject({ secret: "k" });
    expect(withKey?.azure?.auth).toBe("api-key");
    const partial = zeroConfig({
      AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
      AZURE_TENANT_ID: "t",
      AZURE_CLIENT_ID: "c",
    });
    expect(partial.providers.some((p) => p.type === "azure")).toBe(false);
  });
});
