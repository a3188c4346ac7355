/**
 * Azure OpenAI through the gateway, with the official SDKs, against a loopback Azure resource that
 * requires `api-key` and (on the deployment API) `api-version`: the deployment API and the v1 API,
 * the deployment mapping, Chat Completions and Responses, translated Anthropic clients, streams.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { zeroConfig } from "../../../src/config/zero-config.ts";
import { type CloudGateway, startCloudGateway } from "../../support/clouds/cloud-gateway.ts";
import { startMockAzure } from "../../support/clouds/mock-azure.ts";
import type { Gate } from "../../support/clouds/mock-gate.ts";
import type { MockUpstream } from "../../support/mock-upstream.ts";

const AZURE_KEY = "azure-key-0123456789abcdef";
let mock: MockUpstream;
let azure: Gate;
let openai: OpenAI;
let anthropic: Anthropic;

let suite: CloudGateway<Gate>;

beforeAll(async () => {
  suite = await startCloudGateway(
    (upstream) => startMockAzure({ upstream, apiKey: AZURE_KEY, bearerToken: "entra-token-xyz" }),
    (azure) => ({
      yaml: `providers:
  azure:
    base_url: ${azure.url}
    api_key: \${AZURE_API_KEY}
    api_version: 2024-10-21
    deployments: { gpt-5.4: prod-gpt54 }
    responses: ["*codex*"]
  azure-v1:
    type: azure
    base_url: ${azure.url}/openai/v1
    api_key: \${AZURE_API_KEY}
    deployments: { gpt-5.4: v1-gpt54 }
  azure-entra:
    type: azure
    base_url: ${azure.url}
    api_key: entra-token-xyz
    auth: bearer
  azure-wrong:
    type: azure
    base_url: ${azure.url}
    api_key: not-the-key
    api_version: 2024-10-21
routing:
  retries: 0
`,
      env: { AZURE_API_KEY: AZURE_KEY },
    }),
  );
  ({ mock, cloud: azure, openai, anthropic } = suite);
});

afterAll(() => suite?.stop());

beforeEach(() => suite.reset());

describe("Azure OpenAI (type: azure)", () => {
  test("deployment API: the deployment in the path, ?api-version, api-key header, the deployment as model", async () => {
    const answer = await openai.chat.completions.create({
      model: "azure/gpt-5.4",
      messages: [{ role: "user", content: "hello azure" }],
    });
    expect(answer.choices[0]?.message.content).toBe("echo: hello azure");
    const seen = azure.seen[0]!;
    expect(seen.url.pathname).toBe("/openai/deployments/prod-gpt54/chat/completions");
    expect(seen.url.searchParams.get("api-version")).toBe("2024-10-21");
    expect(seen.headers.get("api-key")).toBe(AZURE_KEY);
    expect(seen.headers.get("authorization")).toBeNull();
    expect((mock.requests[0]!.body as { model: string }).model).toBe("prod-gpt54");
  });

  test("v1 API: /openai/v1/chat/completions with no api-version, streamed to the OpenAI SDK", async () => {
    const stream = await openai.chat.completions.create({
      model: "azure-v1/gpt-5.4",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("echo: stream please");
    const seen = azure.seen[0]!;
    expect(seen.url.pathname).toBe("/openai/v1/chat/completions");
    expect(seen.url.search).toBe("");
    expect((mock.requests[0]!.body as { model: string }).model).toBe("v1-gpt54");
  });

  test("a model without a deployment entry is its own deployment name", async () => {
    await openai.chat.completions.create({
      model: "azure/gpt-4o-mini",
      messages: [{ role: "user", content: "x" }],
    });
    expect(azure.seen[0]!.url.pathname).toBe("/openai/deployments/gpt-4o-mini/chat/completions");
  });

  test("Responses models go to /openai/responses?api-version with the deployment as model", async () => {
    const answer = await openai.chat.completions.create({
      model: "azure/gpt-5.3-codex",
      messages: [{ role: "user", content: "code" }],
    });
    expect(answer.choices[0]?.message.content).toBe("echo: code");
    expect(azure.seen[0]!.url.pathname).toBe("/openai/responses");
    expect(azure.seen[0]!.url.searchParams.get("api-version")).toBe("2024-10-21");
  });

  test("an Anthropic client is translated to Azure's Chat Completions, streamed", async () => {
    const stream = anthropic.messages.stream({
      model: "azure/gpt-5.4",
      max_tokens: 100,
      messages: [{ role: "user", content: "from claude sdk" }],
    });
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: from claude sdk" });
    expect(azure.seen[0]!.url.pathname).toBe("/openai/deployments/prod-gpt54/chat/completions");
  });

  test("the Responses SDK reaches Azure's Responses API for a Responses model (native)", async () => {
    const response = await openai.responses.create({
      model: "azure/gpt-5.3-codex",
      input: "native responses",
    });
    expect(response.output_text).toBe("echo: native responses");
    expect(azure.seen[0]!.url.pathname).toBe("/openai/responses");
  });

  test("auth: bearer sends an Entra token as Authorization, not api-key", async () => {
    await openai.chat.completions.create({
      model: "azure-entra/gpt-5.4",
      messages: [{ role: "user", content: "x" }],
    });
    expect(azure.seen[0]!.headers.get("authorization")).toBe("Bearer entra-token-xyz");
    expect(azure.seen[0]!.headers.get("api-key")).toBeNull();
    expect(azure.seen[0]!.url.pathname).toBe("/openai/v1/chat/completions");
  });

  test("a wrong key is Azure's 401: the gateway's own credentials failed (502 upstream_auth_failed), no key shown", async () => {
    const error = await openai.chat.completions
      .create({ model: "azure-wrong/gpt-5.4", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("upstream_auth_failed");
    expect(JSON.stringify(error)).not.toContain("not-the-key");
    expect(azure.rejections).toHaveLength(1);
    expect(mock.requests).toHaveLength(0);
  });
});

describe("Azure zero-config", () => {
  test("AZURE_API_KEY and AZURE_OPENAI_ENDPOINT enable an `azure` provider on the v1 API", () => {
    const config = zeroConfig({ AZURE_API_KEY: "k", AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com/" });
    const provider = config.providers.find((p) => p.name === "azure");
    expect(provider).toMatchObject({ type: "azure", baseUrl: "https://r.openai.azure.com" });
    expect(provider?.azure?.apiVersion).toBeUndefined();
    expect(zeroConfig({ AZURE_API_KEY: "k" }).providers.some((p) => p.type === "azure")).toBe(false);
  });

  test("OPENAI_API_VERSION selects the deployment API", () => {
    const config = zeroConfig({
      AZURE_OPENAI_API_KEY: "k",
      AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
      OPENAI_API_VERSION: "2024-10-21",
    });
    expect(config.providers.find((p) => p.name === "azure")?.azure?.apiVersion).toBe("2024-10-21");
  });
});
