/**
 * A Responses client's `reasoning.effort` is OpenAI's effort: toward Anthropic it becomes a
 * thinking budget (as a Chat Completions client's reasoning_effort does), never Anthropic's own
 * `output_config.effort`, which only some Claude models accept.
 */
import { describe, expect, test } from "bun:test";
import type { EncodeContext } from "../../../../src/ir/codec.ts";
import { anthropicProviderCodec } from "../../../../src/protocols/anthropic/codec.ts";
import { responsesClientCodec } from "../../../../src/protocols/responses/codec.ts";

function toAnthropic(body: Record<string, unknown>) {
  const ir = responsesClientCodec.decodeRequest({ model: "alias", ...body });
  ir.model = "claude-sonnet-4-5";
  const context: EncodeContext = { providerName: "anthropic", strict: false, dropped: [], adjusted: [] };
  return { body: anthropicProviderCodec.encodeRequest(ir, context).body, dropped: context.dropped };
}

describe("Responses reasoning → Anthropic", () => {
  test.each([
    ["low", 2048],
    ["medium", 8192],
    ["high", 16384],
  ] as const)("effort %s → a thinking budget of %d and no output_config.effort", (effort, budget) => {
    const { body } = toAnthropic({ input: "q", reasoning: { effort, summary: "auto" } });
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: budget });
    expect(body.output_config).toBeUndefined();
  });

  test("thinking dropped for a forced tool is listed under the client's own field, `reasoning`", () => {
    const { body, dropped } = toAnthropic({
      input: "q",
      tools: [{ type: "function", name: "f", parameters: { type: "object" } }],
      tool_choice: "required",
      reasoning: { effort: "low" },
    });
    expect(body.thinking).toBeUndefined();
    expect(dropped).toEqual(["reasoning"]);
  });
});
