// The reasoning setting on Converse: each model family reads its own field from
// additionalModelRequestFields (merged with top_k); unknown families drop it, as before.
import { describe, expect, test } from "bun:test";
import type { EncodeContext } from "../../../src/ir/codec.ts";
import { anthropicClientCodec } from "../../../src/protocols/anthropic/codec.ts";
import { converseProviderCodec } from "../../../src/protocols/bedrock-converse/codec.ts";
import { converseReasoningFamilyOf } from "../../../src/protocols/bedrock-converse/to-converse-reasoning.ts";
import { openAIClientCodec } from "../../../src/protocols/openai/codec.ts";

const USER_HI = { role: "user", content: [{ text: "hi" }] };

/** A client body (OpenAI or Anthropic) → the Converse body for `model`, as the pipeline does it. */
function translate(client: "openai" | "anthropic", model: string, body: Record<string, unknown>) {
  const codec = client === "openai" ? openAIClientCodec : anthropicClientCodec;
  const ir = codec.decodeRequest({
    model: "client-alias",
    messages: [{ role: "user", content: "hi" }],
    ...body,
  });
  ir.model = model;
  const context: EncodeContext = { providerName: "bedrock", strict: false, dropped: [], adjusted: [] };
  const { path, body: out } = converseProviderCodec.encodeRequest(ir, context);
  return { path, body: out, dropped: context.dropped, adjusted: context.adjusted };
}

describe("converseReasoningFamilyOf: the Bedrock model id, with or without a geography or an ARN", () => {
  test.each([
    ["anthropic.claude-sonnet-4-5-20250929-v1:0", "claude"],
    ["global.anthropic.claude-opus-4-5-20251101-v1:0", "claude"],
    [
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
      "claude",
    ],
    ["amazon.nova-2-lite-v1:0", "nova-2"],
    ["apac.amazon.nova-2-lite-v1:0", "nova-2"],
    ["arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-2-lite-v1:0", "nova-2"],
    ["openai.gpt-oss-120b-1:0", "gpt-oss"],
    ["eu.openai.gpt-oss-20b-1:0", "gpt-oss"],
    ["us.deepseek.r1-v1:0", "deepseek-r1"],
    ["amazon.nova-pro-v1:0", undefined],
    ["meta.llama3-3-70b-instruct-v1:0", undefined],
    ["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3", undefined],
  ])("%s → %s", (model, family) => {
    expect(converseReasoningFamilyOf(model)).toBe(family as ReturnType<typeof converseReasoningFamilyOf>);
  });
});

describe("Amazon Nova 2: reasoningConfig with maxReasoningEffort", () => {
  test("an OpenAI reasoning_effort goes as is", () => {
    const out = translate("openai", "us.amazon.nova-2-lite-v1:0", {
      reasoning_effort: "high",
      max_tokens: 500,
    });
    expect(out.body).toEqual({
      messages: [USER_HI],
      inferenceConfig: { maxTokens: 500 },
      additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" } },
    });
    expect(out.dropped).toEqual([]);
    expect(out.adjusted).toEqual([]);
  });

  test("an Anthropic thinking budget becomes a level, merged with top_k", () => {
    const out = translate("anthropic", "amazon.nova-2-lite-v1:0", {
      max_tokens: 8000,
      top_k: 40,
      thinking: { type: "enabled", budget_tokens: 4000 },
    });
    expect(out.body).toEqual({
      messages: [USER_HI],
      inferenceConfig: { maxTokens: 8000 },
      additionalModelRequestFields: {
        top_k: 40,
        reasoningConfig: { type: "enabled", maxReasoningEffort: "medium" },
      },
    });
    expect(out.dropped).toEqual([]);
  });

  test("disabled thinking or effort none sends nothing and drops nothing", () => {
    for (const out of [
      translate("anthropic", "amazon.nova-2-lite-v1:0", { max_tokens: 100, thinking: { type: "disabled" } }),
      translate("openai", "amazon.nova-2-lite-v1:0", { max_tokens: 100, reasoning_effort: "none" }),
    ]) {
      expect(out.body).toEqual({ messages: [USER_HI], inferenceConfig: { maxTokens: 100 } });
      expect(out.dropped).toEqual([]);
    }
  });
});

describe("OpenAI gpt-oss: reasoning_effort", () => {
  test("low, medium and high go as is", () => {
    const out = translate("openai", "openai.gpt-oss-120b-1:0", { reasoning_effort: "low" });
    expect(out.body).toEqual({
      messages: [USER_HI],
      additionalModelRequestFields: { reasoning_effort: "low" },
    });
    expect(out.adjusted).toEqual([]);
  });

  test("a level gpt-oss lacks goes to the nearest, named in x-switchboard-adjusted", () => {
    const xhigh = translate("openai", "us.openai.gpt-oss-20b-1:0", { reasoning_effort: "xhigh" });
    expect(xhigh.body.additionalModelRequestFields).toEqual({ reasoning_effort: "high" });
    expect(xhigh.adjusted).toEqual(["reasoning_effort=xhigh->high"]);
    const minimal = translate("openai", "openai.gpt-oss-20b-1:0", { reasoning_effort: "minimal" });
    expect(minimal.body.additionalModelRequestFields).toEqual({ reasoning_effort: "low" });
    expect(minimal.adjusted).toEqual(["reasoning_effort=minimal->low"]);
  });
});

describe("Anthropic Claude: thinking, by the Anthropic encoder's rules", () => {
  test("an effort becomes a budget; max tokens are raised above it and named; temperature is dropped", () => {
    const out = translate("openai", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", {
      reasoning_effort: "medium",
      max_tokens: 1000,
      temperature: 0.2,
    });
    expect(out.body).toEqual({
      messages: [USER_HI],
      inferenceConfig: { maxTokens: 9192 },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 8192 } },
    });
    expect(out.dropped).toEqual(["temperature"]);
    expect(out.adjusted).toEqual(["max_tokens=1000->9192"]);
  });

  test("a budget over the model's output cap is clamped below it (Opus 4: 32000), top_k dropped", () => {
    const out = translate(
      "anthropic",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-20250514-v1:0",
      { max_tokens: 100, top_k: 5, thinking: { type: "enabled", budget_tokens: 40000 } },
    );
    expect(out.body).toEqual({
      messages: [USER_HI],
      inferenceConfig: { maxTokens: 32000 },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 30976 } },
    });
    expect(out.dropped).toEqual(["top_k"]);
    expect(out.adjusted).toEqual(["thinking.budget_tokens=40000->30976", "max_tokens=100->32000"]);
  });

  test("a budget below 1024 is raised to it", () => {
    const out = translate("anthropic", "anthropic.claude-sonnet-4-5-20250929-v1:0", {
      max_tokens: 4000,
      thinking: { type: "enabled", budget_tokens: 500 },
    });
    expect(out.body.additionalModelRequestFields).toEqual({
      thinking: { type: "enabled", budget_tokens: 1024 },
    });
    expect(out.body.inferenceConfig).toEqual({ maxTokens: 4000 });
  });

  test("adaptive thinking goes as adaptive", () => {
    const out = translate("anthropic", "us.anthropic.claude-opus-4-6-v1:0", {
      max_tokens: 2000,
      thinking: { type: "adaptive" },
    });
    expect(out.body).toEqual({
      messages: [USER_HI],
      inferenceConfig: { maxTokens: 2000 },
      additionalModelRequestFields: { thinking: { type: "adaptive" } },
    });
  });

  test("a forced tool choice drops thinking (Claude refuses both), named", () => {
    const out = translate("openai", "anthropic.claude-sonnet-4-5-20250929-v1:0", {
      reasoning_effort: "low",
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
      tool_choice: "required",
    });
    expect(out.body.additionalModelRequestFields).toBeUndefined();
    expect(out.dropped).toEqual(["reasoning"]);
  });
});

describe("models that always reason, and models the gateway has no setting for", () => {
  test("DeepSeek R1: nothing sent, nothing dropped", () => {
    const out = translate("openai", "us.deepseek.r1-v1:0", { reasoning_effort: "high" });
    expect(out.body).toEqual({ messages: [USER_HI] });
    expect(out.dropped).toEqual([]);
  });

  test("another family: the setting is dropped and named, as before", () => {
    const out = translate("openai", "meta.llama3-3-70b-instruct-v1:0", { reasoning_effort: "high" });
    expect(out.body).toEqual({ messages: [USER_HI] });
    expect(out.dropped).toEqual(["reasoning"]);
  });

  test("top_k alone still goes in additionalModelRequestFields", () => {
    const out = translate("anthropic", "amazon.nova-pro-v1:0", { max_tokens: 10, top_k: 3 });
    expect(out.body.additionalModelRequestFields).toEqual({ top_k: 3 });
  });
});
