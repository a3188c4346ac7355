import { expect, test } from "bun:test";
import { validateAnthropicMessagesRequest, validateOpenAIChatRequest } from "../../src/protocols/validate.ts";

/** A long agentic conversation of about `targetBytes` of JSON: text, tool calls, tool results. */
function openAIBody(targetBytes: number) {
  const messages: unknown[] = [{ role: "system", content: "You are a coding agent. ".repeat(20) }];
  for (let i = 0; JSON.stringify(messages).length < targetBytes; i++) {
    messages.push({
      role: "user",
      content: [{ type: "text", text: `Step ${i}: ${"please refactor the module ".repeat(12)}` }],
    });
    messages.push({
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: `call_${i}`,
          type: "function",
          function: { name: "read_file", arguments: `{"path":"src/f${i}.ts"}` },
        },
      ],
    });
    messages.push({ role: "tool", tool_call_id: `call_${i}`, content: "export const x = 1;\n".repeat(20) });
  }
  const tools = Array.from({ length: 20 }, (_, i) => ({
    type: "function",
    function: {
      name: `tool_${i}`,
      description: "d",
      parameters: { type: "object", properties: { a: { type: "string" } } },
    },
  }));
  return { model: "gpt-5.4", messages, tools, temperature: 0.2, max_completion_tokens: 4096, stream: true };
}

function anthropicBody(targetBytes: number) {
  const messages: unknown[] = [];
  for (let i = 0; JSON.stringify(messages).length < targetBytes; i++) {
    messages.push({
      role: "user",
      content: [{ type: "text", text: `Step ${i}: ${"please refactor the module ".repeat(12)}` }],
    });
    messages.push({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "I should read the file. ".repeat(5), signature: "c2ln".repeat(40) },
        { type: "tool_use", id: `toolu_${i}`, name: "read_file", input: { path: `src/f${i}.ts` } },
      ],
    });
    messages.push({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: `toolu_${i}`, content: "export const x = 1;\n".repeat(20) },
      ],
    });
  }
  return {
    model: "claude-sonnet-4-6",
    max_tokens: 4096,
    system: "You are a coding agent.",
    messages,
    stream: true,
  };
}

/** Best of several batches: the machine is shared, and the minimum is the cost itself. */
function microsPerCall(fn: () => void, batches = 8, iterations = 50): number {
  for (let i = 0; i < 50; i++) fn();
  let best = Number.POSITIVE_INFINITY;
  for (let b = 0; b < batches; b++) {
    const start = Bun.nanoseconds();
    for (let i = 0; i < iterations; i++) fn();
    best = Math.min(best, (Bun.nanoseconds() - start) / iterations / 1000);
  }
  return best;
}

test("validating a ~200 KB body is cheap (tens of µs when the machine is idle)", () => {
  const oa = openAIBody(200_000);
  const an = anthropicBody(200_000);
  const oaText = JSON.stringify(oa);
  const anText = JSON.stringify(an);
  const oaUs = microsPerCall(() => validateOpenAIChatRequest(oa));
  const anUs = microsPerCall(() => validateAnthropicMessagesRequest(an));
  const parseUs = microsPerCall(() => JSON.parse(oaText));
  console.log(
    `validation: OpenAI ${oaText.length} B ${oaUs.toFixed(1)} µs, Anthropic ${anText.length} B ${anUs.toFixed(1)} µs` +
      ` (JSON.parse of the OpenAI body: ${parseUs.toFixed(1)} µs)`,
  );
  // Generous for a loaded 2-core CI box; an interpreted or coercing check costs far more.
  expect(oaUs).toBeLessThan(2000);
  expect(anUs).toBeLessThan(2000);
});

test("explaining a failure at the end of a large body stays cheap (no interpreted re-walk)", () => {
  const body = openAIBody(200_000);
  body.messages.push({ role: "user", content: 5 });
  const param = `messages[${body.messages.length - 1}].content`;
  const explain = () => {
    try {
      validateOpenAIChatRequest(body);
    } catch (error) {
      expect((error as { param: string }).param).toBe(param);
    }
  };
  const us = microsPerCall(explain, 3, 5);
  console.log(`explaining an invalid ${JSON.stringify(body).length} B body: ${us.toFixed(0)} µs`);
  // TypeBox's interpreted error walk took ~70 ms here; the compiled descent takes a few.
  expect(us).toBeLessThan(25_000);
});
