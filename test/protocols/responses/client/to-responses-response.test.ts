/**
 * IR → the Responses `response` object, compared with what OpenAI itself returned for the same
 * content (recorded bodies in test/fixtures/openai-responses): same keys, same shapes, same values
 * once ids and clocks are set aside.
 */
import { describe, expect, test } from "bun:test";
import type { IRResponse } from "../../../../src/ir/types.ts";
import { toResponsesResponse } from "../../../../src/protocols/responses/to-responses-response.ts";
import { type Json, originOf, readResponsesJson, sdkCreate } from "./helpers.ts";

/** Keys some recordings carry that the gateway has nothing to say about (billing, moderation, …). */
const NOT_EMITTED = ["billing", "frequency_penalty", "presence_penalty", "moderation", "tool_usage"];

const idPrefix = (id: unknown) => String(id).slice(0, String(id).indexOf("_") + 1);

/** Ids reduced to their type prefix (resp_, msg_, fc_, …), clocks to 0, keys the gateway never emits removed. */
function normalize(response: Json): Json {
  const out: Json = { ...response, id: idPrefix(response.id), created_at: 0 };
  for (const key of NOT_EMITTED) delete out[key];
  if (out.completed_at !== null && out.completed_at !== undefined) out.completed_at = 0;
  out.output = (response.output as Json[]).map((item) => ({ ...item, id: idPrefix(item.id) }));
  return out;
}

const ir = (overrides: Partial<IRResponse>): IRResponse => ({
  id: "msg_upstream",
  model: "upstream-model",
  parts: [],
  stopReason: "end_turn",
  usage: { inputTokens: 0, outputTokens: 0 },
  ...overrides,
});

describe("toResponsesResponse: the recorded OpenAI answers, rebuilt from IR", () => {
  test("plain text (GoModel gpt-4o-mini): equal to the recording", () => {
    const recorded = readResponsesJson("gomodel-text-gpt-4o-mini.json");
    const origin = originOf({ model: "gpt-4o-mini", input: "Say 'Hello, World!' and nothing else." });
    const response = toResponsesResponse(
      ir({
        parts: [{ type: "text", text: "Hello, World!" }],
        usage: { inputTokens: 17, outputTokens: 5, cacheReadTokens: 0, reasoningTokens: 0 },
        serviceTier: "default",
      }),
      "gpt-4o-mini-2024-07-18",
      origin,
    );
    expect(normalize(response)).toEqual(normalize(recorded));
    expect(Object.keys(response)).toEqual(Object.keys(recorded).filter((k) => !NOT_EMITTED.includes(k)));
  });

  test("parallel function calls (gpt-4.1-nano): equal to the recording, tools echoed as sent", () => {
    const recorded = readResponsesJson("openllmetry-parallel-function-calls-gpt-4.1-nano.json");
    const origin = originOf({
      model: "gpt-4.1-nano",
      input: "Weather in London?",
      tools: recorded.tools as Json[],
    });
    const call = (id: string) => ({
      type: "tool_call" as const,
      id,
      name: "get_weather",
      arguments: '{"location":"London"}',
    });
    const response = toResponsesResponse(
      ir({
        parts: [call("call_grggfsR0ccRoMcXy17gsju6I"), call("call_jQ4vl5MZL0h55SoqPmlfYYyd")],
        stopReason: "tool_use",
        usage: { inputTokens: 59, outputTokens: 45 },
      }),
      "gpt-4.1-nano-2025-04-14",
      origin,
    );
    expect(normalize(response)).toEqual(normalize(recorded));
  });

  test("cut by max_output_tokens, cache writes (gpt-5.6): incomplete, the message incomplete, usage as OpenAI counts it", () => {
    const recorded = readResponsesJson("ddtrace-incomplete-cache-write-gpt-5.6-sol.json");
    const origin = originOf({
      model: "gpt-5.6-sol",
      instructions: recorded.instructions as string,
      input: "How do I design a good API?",
      max_output_tokens: 100,
      prompt_cache_retention: "24h",
      reasoning: { context: "all_turns", effort: "medium", mode: "standard" },
      store: false,
      top_p: 0.98,
    });
    const text = ((recorded.output as Json[])[1]!.content as Json[])[0]!.text as string;
    const response = toResponsesResponse(
      ir({
        parts: [
          { type: "reasoning", text: "", signature: "SIG" },
          { type: "text", text },
        ],
        stopReason: "max_tokens",
        usage: {
          inputTokens: 3,
          cacheWriteTokens: 1217,
          cacheReadTokens: 0,
          outputTokens: 100,
          reasoningTokens: 54,
        },
      }),
      "gpt-5.6-sol",
      origin,
    );
    const { output: recordedOutput, ...recordedRest } = normalize(recorded);
    const { output, ...rest } = normalize(response);
    expect(rest).toEqual(recordedRest);
    const [recordedMessage] = (recordedOutput as Json[]).slice(1);
    const { phase: _phase, ...messageWithoutPhase } = recordedMessage!;
    expect((output as Json[])[1]).toEqual(messageWithoutPhase);
    expect((output as Json[])[0]).toEqual({
      id: "rs_",
      type: "reasoning",
      encrypted_content: "anthropic:SIG",
      summary: [],
    });
  });

  test("custom tool call after reasoning (gpt-5, lark grammar): a custom_tool_call item with the raw input", () => {
    const recorded = readResponsesJson("ddtrace-custom-tool-call-reasoning-gpt-5.json");
    const origin = originOf({
      model: "gpt-5",
      input: "Use the math_exp tool to add four plus four.",
      tools: recorded.tools as Json[],
      reasoning: { effort: "medium" },
      store: false,
    });
    const response = toResponsesResponse(
      ir({
        parts: [
          { type: "reasoning", text: "", signature: "gemini:SIG" },
          {
            type: "tool_call",
            id: "call_H8YsBUDPYjNHSq9fWOzwetxr",
            name: "math_exp",
            arguments: '{"input": "4 + 4"}',
          },
        ],
        stopReason: "tool_use",
        usage: { inputTokens: 159, outputTokens: 275, cacheReadTokens: 0, reasoningTokens: 256 },
        serviceTier: "auto",
      }),
      "gpt-5-2025-08-07",
      origin,
    );
    const { output: recordedOutput, ...recordedRest } = normalize(recorded);
    const { output, completed_at, prompt_cache_retention, ...rest } = normalize(response);
    expect(rest).toEqual(recordedRest);
    expect(completed_at).toBe(0);
    expect(prompt_cache_retention).toBeNull();
    expect((output as Json[])[1]).toEqual((recordedOutput as Json[])[1]);
    expect((output as Json[])[0]).toEqual({
      id: "rs_",
      type: "reasoning",
      encrypted_content: "gemini:SIG",
      summary: [],
    });
  });

  test("reasoning summary with encrypted content (gpt-5-mini): the reasoning item keyed as OpenAI's, then the message", () => {
    const recorded = readResponsesJson("vercel-ai-reasoning-summary-encrypted-gpt-5-mini.json");
    const [recordedReasoning, recordedMessage] = recorded.output as Json[];
    const summary = (recordedReasoning!.summary as Json[])[0]!.text as string;
    const text = ((recordedMessage!.content as Json[])[0] as Json).text as string;
    const response = toResponsesResponse(
      ir({
        parts: [
          { type: "reasoning", text: summary, signature: "openai:rs_0f35:gAAAAB" },
          { type: "text", text },
        ],
        usage: { inputTokens: 865, outputTokens: 163, reasoningTokens: 128 },
      }),
      "gpt-5-mini-2025-08-07",
      originOf({ model: "gpt-5-mini", input: "q", reasoning: { effort: "high", summary: "detailed" } }),
    );
    const output = normalize(response).output as Json[];
    expect(output).toEqual([
      { ...recordedReasoning, id: "rs_", encrypted_content: "openai:rs_0f35:gAAAAB" },
      { ...recordedMessage, id: "msg_" },
    ]);
    expect(Object.keys(output[0]!)).toEqual(Object.keys(recordedReasoning!));
    expect(response.reasoning).toEqual({ effort: "high", summary: "detailed" });
    expect(response.usage).toEqual(recorded.usage);
  });

  test("every emitted key is one OpenAI returns, and the keys every recording has are all there", () => {
    const names = [
      "gomodel-text-gpt-4o-mini.json",
      "openllmetry-parallel-function-calls-gpt-4.1-nano.json",
      "ddtrace-incomplete-cache-write-gpt-5.6-sol.json",
      "ddtrace-custom-tool-call-reasoning-gpt-5.json",
      "vercel-ai-reasoning-summary-encrypted-gpt-5-mini.json",
      "openllmetry-reasoning-summary-gpt-5-nano.json",
      "openllmetry-structured-output-json-schema-gpt-4.1-nano.json",
      "ddtrace-cached-tokens-gpt-4o.json",
    ];
    const keySets = names.map((name) => new Set(Object.keys(readResponsesJson(name))));
    const keys = Object.keys(toResponsesResponse(ir({}), "m", originOf({ model: "m", input: "x" })));
    for (const key of keys) expect(keySets.some((set) => set.has(key))).toBe(true);
    for (const key of keySets[0]!) if (keySets.every((set) => set.has(key))) expect(keys).toContain(key);
  });
});

describe("toResponsesResponse: gateway rules", () => {
  const answer = (response: Partial<IRResponse>, body: Json = { model: "m", input: "x" }) =>
    toResponsesResponse(ir(response), "client-model", originOf(body));

  test("reasoning items only when the client asked for reasoning", () => {
    const parts: IRResponse["parts"] = [
      { type: "reasoning", text: "hmm", signature: "S" },
      { type: "text", text: "A" },
      { type: "reasoning", text: "more" },
      { type: "text", text: "B" },
    ];
    const hidden = answer({ parts }).output as Json[];
    expect(hidden.map((i) => i.type)).toEqual(["message"]);
    expect((hidden[0]!.content as Json[])[0]!.text).toBe("AB");
    const shown = answer({ parts }, { model: "m", input: "x", reasoning: { effort: "low" } })
      .output as Json[];
    expect(shown.map((i) => i.type)).toEqual(["reasoning", "message", "reasoning", "message"]);
  });

  test("encrypted_content says who issued it: Anthropic marked, redacted marked, Gemini and OpenAI marks as they are", () => {
    const output = answer(
      {
        parts: [
          { type: "reasoning", text: "a", signature: "EqQB" },
          { type: "reasoning", text: "", redacted: true, data: "REDACTED" },
          { type: "reasoning", text: "", signature: "gemini:call:call_0:FS" },
          { type: "reasoning", text: "d", signature: "openai:rs_1:gAAA" },
          { type: "reasoning", text: "e" },
        ],
      },
      { model: "m", input: "x", reasoning: {} },
    ).output as Json[];
    expect(output.map((i) => i.encrypted_content)).toEqual([
      "anthropic:EqQB",
      "anthropic:redacted:REDACTED",
      "gemini:call:call_0:FS",
      "openai:rs_1:gAAA",
      undefined,
    ]);
    expect(output[4]).not.toHaveProperty("encrypted_content");
  });

  test("a refusal: incomplete with content_filter, the refusal in the message", () => {
    const response = answer({
      parts: [{ type: "text", text: "I" }],
      refusal: "I can't help with that.",
      stopReason: "refusal",
    });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "content_filter" });
    expect(response.completed_at).toBeNull();
    expect((response.output as Json[])[0]).toMatchObject({
      type: "message",
      status: "incomplete",
      content: [
        { type: "output_text", text: "I" },
        { type: "refusal", refusal: "I can't help with that." },
      ],
    });
  });

  test("a refusal the decoder also carried as answer text (Chat Completions message.refusal) is not repeated as output_text", () => {
    const only = answer({
      parts: [{ type: "text", text: "I can't help with that." }],
      refusal: "I can't help with that.",
      stopReason: "refusal",
    });
    expect((only.output as Json[])[0]!.content).toEqual([
      { type: "refusal", refusal: "I can't help with that." },
    ]);
    const after = answer({
      parts: [
        { type: "text", text: "Sure. " },
        { type: "text", text: "No." },
      ],
      refusal: "No.",
      stopReason: "refusal",
    });
    expect((after.output as Json[])[0]!.content).toEqual([
      { type: "output_text", annotations: [], logprobs: [], text: "Sure. " },
      { type: "refusal", refusal: "No." },
    ]);
  });

  test("custom tool input: the JSON argument's string, or the raw arguments when they hold none", () => {
    const body = {
      model: "m",
      input: "x",
      tools: [{ type: "custom", name: "sql" }],
    };
    const output = answer(
      {
        parts: [
          { type: "tool_call", id: "c1", name: "sql", arguments: '{"input":"SELECT \\"a\\"\\nFROM t"}' },
          { type: "tool_call", id: "c2", name: "sql", arguments: "SELECT 1" },
        ],
        stopReason: "tool_use",
      },
      body,
    ).output as Json[];
    expect(output).toEqual([
      {
        id: expect.stringMatching(/^ctc_/),
        type: "custom_tool_call",
        status: "completed",
        call_id: "c1",
        input: 'SELECT "a"\nFROM t',
        name: "sql",
      },
      {
        id: expect.stringMatching(/^ctc_/),
        type: "custom_tool_call",
        status: "completed",
        call_id: "c2",
        input: "SELECT 1",
        name: "sql",
      },
    ]);
  });

  test("the response id: an upstream Responses id is kept, any other becomes a new resp_ id", () => {
    expect(answer({ id: "resp_abc" }).id).toBe("resp_abc");
    expect(answer({ id: "msg_01" }).id).toMatch(/^resp_[A-Za-z0-9]{12}$/);
  });

  test("echoed settings: the client's values, OpenAI's defaults otherwise; an Anthropic service tier is not echoed", () => {
    const response = answer(
      { serviceTier: "standard" },
      {
        model: "m",
        input: "x",
        instructions: "I",
        temperature: 0.3,
        tool_choice: "required",
        text: { format: { type: "json_object" }, verbosity: "low" },
        metadata: { a: "b" },
        user: "u",
        previous_response_id: "resp_prev",
        parallel_tool_calls: false,
        truncation: "auto",
        service_tier: "flex",
      },
    );
    expect(response).toMatchObject({
      instructions: "I",
      temperature: 0.3,
      tool_choice: "required",
      text: { format: { type: "json_object" }, verbosity: "low" },
      metadata: { a: "b" },
      user: "u",
      previous_response_id: "resp_prev",
      parallel_tool_calls: false,
      truncation: "auto",
      service_tier: "flex",
      top_p: 1,
      store: true,
    });
  });

  test("the official SDK reads the answer: output_text is the message text", async () => {
    const response = answer({
      parts: [
        { type: "text", text: "Hello, " },
        { type: "text", text: "World!" },
      ],
    });
    const parsed = await sdkCreate(response);
    expect(parsed.output_text).toBe("Hello, World!");
    expect(parsed.status).toBe("completed");
  });
});
