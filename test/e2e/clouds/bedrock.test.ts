/**
 * AWS Bedrock through the gateway, with the official SDKs, against a loopback Bedrock runtime that
 * verifies SigV4 like AWS: Claude on InvokeModel (Anthropic body, bedrock-2023-05-31), other
 * models on Converse / ConverseStream, AWS event-stream framing split across reads, tools over
 * several turns, a mid-stream exception, Bedrock API keys, and credentials that never show.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { zeroConfig } from "../../../src/config/zero-config.ts";
import { signRequest } from "../../../src/providers/bedrock/sigv4.ts";
import { type CloudGateway, startCloudGateway } from "../../support/clouds/cloud-gateway.ts";
import { type MockBedrock, startMockBedrock, TEST_AWS_ACCOUNT } from "../../support/clouds/mock-bedrock.ts";
import { startTestGateway, type TestGateway } from "../../support/gateway.ts";
import type { MockUpstream } from "../../support/mock-upstream.ts";
import { anthropicEvents } from "../../support/wire-builders.ts";

const ACCOUNT = TEST_AWS_ACCOUNT;
const API_KEY = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl";
const CLAUDE = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const NOVA = "amazon.nova-pro-v1:0";

let mock: MockUpstream;
let bedrock: MockBedrock;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

let suite: CloudGateway<MockBedrock>;

beforeAll(async () => {
  suite = await startCloudGateway(
    (upstream) =>
      startMockBedrock({
        upstream,
        region: "us-east-1",
        accounts: [ACCOUNT],
        apiKey: API_KEY,
      }),
    async (bedrock) => {
      const base = `    base_url: ${bedrock.url}\n`;
      return {
        yaml: `providers:
  bedrock:
${base}    region: us-east-1
  bedrock-wrong-secret:
    type: bedrock
${base}    region: us-east-1
    aws_access_key_id: ${ACCOUNT.accessKeyId}
    aws_secret_access_key: not-the-secret-key-0123456789
    aws_session_token: ${ACCOUNT.sessionToken}
  bedrock-wrong-region:
    type: bedrock
${base}    region: eu-west-1
  bedrock-key:
    type: bedrock
${base}    region: us-east-1
    api_key: ${API_KEY}
routing:
  retries: 0
`,
        env: {
          AWS_ACCESS_KEY_ID: ACCOUNT.accessKeyId,
          AWS_SECRET_ACCESS_KEY: ACCOUNT.secretAccessKey,
          AWS_SESSION_TOKEN: ACCOUNT.sessionToken,
        },
      };
    },
  );
  ({ mock, cloud: bedrock, gw, openai, anthropic } = suite);
});

afterAll(() => suite?.stop());

beforeEach(() => suite.reset());

const bodyOf = (i: number) =>
  JSON.parse(new TextDecoder().decode(bedrock.seen[i]!.body)) as Record<string, unknown>;

describe("Bedrock Claude (InvokeModel, SigV4)", () => {
  test("the Anthropic SDK: InvokeModel with the Anthropic body, signed with the session token", async () => {
    const message = await anthropic.messages.create({
      model: `bedrock/${CLAUDE}`,
      max_tokens: 100,
      messages: [{ role: "user", content: "hello bedrock" }],
    });
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: hello bedrock" });
    const seen = bedrock.seen[0]!;
    expect(seen.url.pathname).toBe(`/model/${encodeURIComponent(CLAUDE)}/invoke`);
    expect(seen.headers.get("authorization")).toStartWith(
      `AWS4-HMAC-SHA256 Credential=${ACCOUNT.accessKeyId}/`,
    );
    expect(seen.headers.get("x-amz-security-token")).toBe(ACCOUNT.sessionToken);
    expect(bodyOf(0)).toMatchObject({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100 });
    expect(bodyOf(0).model).toBeUndefined();
    expect(bedrock.rejections).toHaveLength(0);
  });

  test("the Anthropic SDK streams from InvokeModelWithResponseStream (event-stream frames split across reads)", async () => {
    const stream = anthropic.messages.stream({
      model: `bedrock/${CLAUDE}`,
      max_tokens: 100,
      messages: [{ role: "user", content: "stream claude" }],
    });
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: stream claude" });
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(bedrock.seen[0]!.url.pathname).toEndWith("/invoke-with-response-stream");
    expect(bodyOf(0).stream).toBeUndefined();
  });

  test("the OpenAI SDK is translated to InvokeModel, streamed", async () => {
    const stream = await openai.chat.completions.create({
      model: `bedrock/${CLAUDE}`,
      messages: [{ role: "user", content: "openai to bedrock claude" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("echo: openai to bedrock claude");
    expect(usage).toBeDefined();
  });

  test("a Bedrock API key is sent as a bearer token, no signature", async () => {
    await anthropic.messages.create({
      model: `bedrock-key/${CLAUDE}`,
      max_tokens: 10,
      messages: [{ role: "user", content: "k" }],
    });
    expect(bedrock.seen[0]!.headers.get("authorization")).toBe(`Bearer ${API_KEY}`);
    expect(bedrock.seen[0]!.headers.get("x-amz-date")).toBeNull();
  });
});

describe("Bedrock Converse", () => {
  test("the OpenAI SDK: Converse for a non-Anthropic model, with usage", async () => {
    const answer = await openai.chat.completions.create({
      model: `bedrock/${NOVA}`,
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hello nova" },
      ],
      max_tokens: 50,
    });
    expect(answer.choices[0]?.message.content).toBe("echo: hello nova");
    expect(answer.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 7 });
    expect(bedrock.seen[0]!.url.pathname).toBe(`/model/${encodeURIComponent(NOVA)}/converse`);
    expect(bodyOf(0)).toMatchObject({ system: [{ text: "be brief" }], inferenceConfig: { maxTokens: 50 } });
  });

  test("a reasoning effort reaches Nova 2 as reasoningConfig, and is dropped (named) for a model without one", async () => {
    const nova2 = "us.amazon.nova-2-lite-v1:0";
    const { data, response } = await openai.chat.completions
      .create({
        model: `bedrock/${nova2}`,
        messages: [{ role: "user", content: "think about it" }],
        reasoning_effort: "high",
        max_tokens: 2000,
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("echo: think about it");
    expect(response.headers.get("x-switchboard-dropped")).toBeNull();
    expect(bedrock.rejections).toEqual([]);
    expect(bedrock.seen[0]!.url.pathname).toBe(`/model/${encodeURIComponent(nova2)}/converse`);
    expect(bodyOf(0)).toEqual({
      messages: [{ role: "user", content: [{ text: "think about it" }] }],
      inferenceConfig: { maxTokens: 2000 },
      additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" } },
    });

    const other = await openai.chat.completions
      .create({
        model: `bedrock/${NOVA}`,
        messages: [{ role: "user", content: "no reasoning here" }],
        reasoning_effort: "high",
      })
      .withResponse();
    expect(other.response.headers.get("x-switchboard-dropped")).toBe("reasoning");
    expect(bodyOf(1).additionalModelRequestFields).toBeUndefined();
  });

  test("ConverseStream to the OpenAI SDK and to the Anthropic SDK", async () => {
    const stream = await openai.chat.completions.create({
      model: `bedrock/${NOVA}`,
      messages: [{ role: "user", content: "stream nova" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("echo: stream nova");
    const message = await anthropic.messages
      .stream({
        model: `bedrock/${NOVA}`,
        max_tokens: 50,
        messages: [{ role: "user", content: "claude sdk to nova" }],
      })
      .finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: claude sdk to nova" });
    expect(message.usage.output_tokens).toBe(7);
  });

  test("tools over two turns: a streamed tool call, then the tool result", async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: "function",
        function: {
          name: "get_weather",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
    ];
    const stream = await openai.chat.completions.create({
      model: `bedrock/${NOVA}`,
      messages: [{ role: "user", content: "weather?" }],
      tools,
      stream: true,
    });
    let args = "";
    let name = "";
    let id = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      if (call?.id) id = call.id;
      args += call?.function?.arguments ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ name, args: JSON.parse(args), finish }).toEqual({
      name: "get_weather",
      args: { city: "Paris" },
      finish: "tool_calls",
    });
    const second = await openai.chat.completions.create({
      model: `bedrock/${NOVA}`,
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id, type: "function", function: { name, arguments: args } }],
        },
        { role: "tool", tool_call_id: id, content: "sunny" },
      ],
      tools,
    });
    expect(second.choices[0]?.message.content).toBe("tool said: sunny");
    const sent = bodyOf(1) as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };
    expect(sent.messages[1]!.content[0]).toEqual({
      toolUse: { toolUseId: id, name: "get_weather", input: { city: "Paris" } },
    });
    expect(sent.messages[2]!.content[0]).toMatchObject({
      toolResult: { toolUseId: id, content: [{ text: "sunny" }] },
    });
  });

  test("an exception mid-stream ends the client's stream with an error event", async () => {
    bedrock.streamExceptionNext = "throttlingException";
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: `bedrock/${NOVA}`,
        stream: true,
        messages: [{ role: "user", content: "long answer" }],
      }),
    });
    const text = await res.text();
    expect(text).toContain("echo: ");
    expect(text).toContain("Too many requests");
    expect(text).not.toContain("[DONE]");
  });
});

describe("Bedrock SigV4 rejections (the loopback verifier)", () => {
  test("a wrong secret: 403 from Bedrock becomes the gateway's 502 upstream_auth_failed, no secret shown", async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: `bedrock-wrong-secret/${CLAUDE}`,
        max_tokens: 10,
        messages: [{ role: "user", content: "x" }],
      }),
    });
    expect(res.status).toBe(502);
    expect(bedrock.rejections[0]?.body).toMatchObject({ type: "InvalidSignatureException" });
    const text = await res.text();
    expect(text).not.toContain("not-the-secret-key");
    expect(text).not.toContain(ACCOUNT.sessionToken);
    expect(mock.requests).toHaveLength(0);
  });

  test("a wrong region is rejected", async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: `bedrock-wrong-region/${CLAUDE}`,
        max_tokens: 10,
        messages: [{ role: "user", content: "x" }],
      }),
    });
    expect(res.status).toBe(502);
    expect(bedrock.rejections[0]?.body).toMatchObject({ type: "InvalidSignatureException" });
    expect(String((bedrock.rejections[0]!.body as { message: string }).message)).toContain("region");
  });

  const signed = async (body: string, date?: Date) => {
    const url = `${bedrock.url}/model/${encodeURIComponent(NOVA)}/converse`;
    const headers: Record<string, string> = { "content-type": "application/json" };
    Object.assign(
      headers,
      await signRequest({
        method: "POST",
        url,
        headers,
        body,
        credentials: { ...ACCOUNT, region: "us-east-1" },
        service: "bedrock",
        date,
      }),
    );
    return { url, headers };
  };
  const converseBody = JSON.stringify({ messages: [{ role: "user", content: [{ text: "direct" }] }] });

  test("a correctly signed direct request is accepted (the verifier agrees with the signer)", async () => {
    const { url, headers } = await signed(converseBody);
    const res = await fetch(url, { method: "POST", headers, body: converseBody });
    expect(res.status).toBe(200);
  });

  test("clock skew over 5 minutes is rejected", async () => {
    const { url, headers } = await signed(converseBody, new Date(Date.now() - 10 * 60_000));
    const res = await fetch(url, { method: "POST", headers, body: converseBody });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toStartWith("InvalidSignatureException");
  });

  test("a body modified after signing is rejected", async () => {
    const { url, headers } = await signed(converseBody);
    const res = await fetch(url, {
      method: "POST",
      headers,
      body: converseBody.replace("direct", "tampered"),
    });
    expect(res.status).toBe(403);
    const { url: url2, headers: headers2 } = await signed(converseBody);
    delete headers2["x-amz-content-sha256"];
    headers2.authorization = headers2.authorization!.replace("x-amz-content-sha256;", "");
    const res2 = await fetch(url2, {
      method: "POST",
      headers: headers2,
      body: converseBody.replace("direct", "tampered"),
    });
    expect(res2.status).toBe(403);
  });
});

describe("Bedrock zero-config", () => {
  test("AWS credentials and AWS_REGION enable a `bedrock` provider; AWS_BEARER_TOKEN_BEDROCK too", () => {
    const fromKeys = zeroConfig({
      AWS_ACCESS_KEY_ID: "AKID",
      AWS_SECRET_ACCESS_KEY: "s",
      AWS_REGION: "eu-central-1",
    });
    expect(fromKeys.providers.find((p) => p.type === "bedrock")).toMatchObject({
      name: "bedrock",
      baseUrl: "https://bedrock-runtime.eu-central-1.amazonaws.com",
      bedrock: { region: "eu-central-1" },
    });
    const fromToken = zeroConfig({ AWS_BEARER_TOKEN_BEDROCK: "tok", AWS_DEFAULT_REGION: "us-west-2" });
    expect(fromToken.providers.find((p) => p.type === "bedrock")?.keys[0]?.secret).toBe("tok");
    expect(
      zeroConfig({ AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s" }).providers.some(
        (p) => p.type === "bedrock",
      ),
    ).toBe(false);
  });
});

describe("Bedrock credentials in the debug view and logs", () => {
  test("x-switchboard-debug: upstream shows the signed request with the signature and session token redacted", async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-switchboard-debug": "upstream" },
      body: JSON.stringify({ model: `bedrock/${NOVA}`, messages: [{ role: "user", content: "debug" }] }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const debug = JSON.parse(text).switchboard_debug as { url: string; headers: Record<string, string> };
    expect(debug.url).toEndWith(`/model/${encodeURIComponent(NOVA)}/converse`);
    expect(debug.headers.authorization).toBe("[redacted]");
    expect(debug.headers["x-amz-security-token"]).toBe("[redacted]");
    expect(debug.headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
    for (const secret of [ACCOUNT.secretAccessKey, ACCOUNT.sessionToken]) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(gw.logs)).not.toContain(secret);
    }
  });
});

describe("a catalog id across the cloud and the vendor", () => {
  test("provider order [bedrock, anthropic]: Bedrock's inference profile first; a Bedrock failure falls back to Anthropic", async () => {
    const local = await startTestGateway({
      yaml: `providers:
  anthropic:
    base_url: ${mock.baseUrls.anthropic}
    api_key: sk-ant-test
  bedrock:
    base_url: ${bedrock.url}
    region: us-east-1
    api_key: ${API_KEY}
  bedrock-broken:
    type: bedrock
    base_url: ${bedrock.url}
    region: us-east-1
    api_key: wrong-bedrock-key
routing:
  retries: 0
`,
    });
    try {
      const client = new Anthropic({ baseURL: local.url, apiKey: "x", maxRetries: 0 });
      const create = (order: string[]) =>
        client.messages.create({
          model: "anthropic/claude-sonnet-4.5",
          max_tokens: 10,
          messages: [{ role: "user", content: "which cloud" }],
          // @ts-expect-error the gateway's routing control
          provider: { order },
        });
      const first = await create(["bedrock", "anthropic"]).asResponse();
      expect(first.headers.get("x-switchboard-provider")).toBe("bedrock");
      expect(bedrock.seen.at(-1)!.url.pathname).toBe(
        `/model/${encodeURIComponent("global.anthropic.claude-sonnet-4-5-20250929-v1:0")}/invoke`,
      );
      const fallback = await create(["bedrock-broken", "anthropic"]).asResponse();
      expect(fallback.headers.get("x-switchboard-provider")).toBe("anthropic");
      expect((mock.requests.at(-1)!.body as { model: string }).model).toBe("claude-sonnet-4-5");
    } finally {
      await local.stop();
    }
  });
});

describe("Bedrock beta flags", () => {
  test("anthropic-beta moves into the InvokeModel body as anthropic_beta", async () => {
    await anthropic.messages.create(
      { model: `bedrock/${CLAUDE}`, max_tokens: 10, messages: [{ role: "user", content: "beta" }] },
      { headers: { "anthropic-beta": "context-1m-2025-08-07, interleaved-thinking-2025-05-14" } },
    );
    expect(bodyOf(0).anthropic_beta).toEqual(["context-1m-2025-08-07", "interleaved-thinking-2025-05-14"]);
    expect(bedrock.seen[0]!.headers.get("anthropic-beta")).toBeNull();
  });
});

describe("Bedrock Claude thinking", () => {
  test("a streamed thinking block and its signature reach the Anthropic SDK through event-stream frames", async () => {
    mock.enqueue({
      sse: anthropicEvents({
        content: [
          { type: "thinking", thinking: "Six times seven.", signature: "sig-bedrock-1" },
          { type: "text", text: "42" },
        ],
      }),
    });
    const message = await anthropic.messages
      .stream({
        model: `bedrock/${CLAUDE}`,
        max_tokens: 2000,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [{ role: "user", content: "6*7?" }],
      })
      .finalMessage();
    expect(message.content).toEqual([
      { type: "thinking", thinking: "Six times seven.", signature: "sig-bedrock-1" },
      expect.objectContaining({ type: "text", text: "42" }),
    ]);
    expect(bodyOf(0).thinking).toEqual({ type: "enabled", budget_tokens: 1024 });
  });
});
