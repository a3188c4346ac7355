import { describe, expect, test } from "bun:test";
import { convertGeminiUsage } from "../../../src/protocols/gemini/convert-usage.ts";
import { toGeminiPath } from "../../../src/protocols/gemini/gemini-path.ts";
import {
  mapGeminiErrorStatus,
  mapGeminiFinishReason,
} from "../../../src/protocols/gemini/map-finish-reason.ts";
import {
  isGeminiSignature,
  markGeminiCallSignature,
  markGeminiSignature,
  markGeminiTextSignature,
  readGeminiCallSignature,
  readGeminiSignature,
  readGeminiTextSignature,
} from "../../../src/protocols/gemini/thought-signature.ts";

describe("toGeminiPath", () => {
  test("generateContent and streamGenerateContent with alt=sse", () => {
    expect(toGeminiPath("gemini-2.5-flash", false)).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(toGeminiPath("gemini-2.5-flash", true)).toBe(
      "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    );
  });
  test("a leading models/ is tolerated and the id is URL-encoded", () => {
    expect(toGeminiPath("models/gemini-2.5-pro", false)).toBe(
      "/v1beta/models/gemini-2.5-pro:generateContent",
    );
    expect(toGeminiPath("tuned/my model?x", false)).toBe(
      "/v1beta/models/tuned%2Fmy%20model%3Fx:generateContent",
    );
  });
  test("a lone surrogate in the id (legal in JSON) is replaced, not a URIError", () => {
    expect(toGeminiPath("x\ud800y", false)).toBe("/v1beta/models/x%EF%BF%BDy:generateContent");
  });
});

describe("mapGeminiFinishReason", () => {
  test.each([
    ["STOP", false, "end_turn"],
    ["STOP", true, "tool_use"],
    [undefined, true, "tool_use"],
    ["MAX_TOKENS", false, "max_tokens"],
    ["MAX_TOKENS", true, "max_tokens"],
    ["SAFETY", false, "refusal"],
    ["RECITATION", false, "refusal"],
    ["BLOCKLIST", false, "refusal"],
    ["PROHIBITED_CONTENT", false, "refusal"],
    ["SPII", false, "refusal"],
    ["IMAGE_SAFETY", false, "refusal"],
    ["MALFORMED_FUNCTION_CALL", false, "error"],
    ["OTHER", false, "end_turn"],
  ] as const)("%s (tool calls: %p) → %s", (reason, tools, expected) => {
    expect(mapGeminiFinishReason(reason, tools)).toBe(expected);
  });

  test("RPC statuses map to Anthropic-style error types", () => {
    expect(mapGeminiErrorStatus("RESOURCE_EXHAUSTED", 429)).toBe("rate_limit_error");
    expect(mapGeminiErrorStatus("UNAVAILABLE", 503)).toBe("overloaded_error");
    expect(mapGeminiErrorStatus("INVALID_ARGUMENT", 400)).toBe("invalid_request_error");
    expect(mapGeminiErrorStatus("INTERNAL", 500)).toBe("api_error");
    expect(mapGeminiErrorStatus(undefined, 429)).toBe("rate_limit_error");
  });
});

describe("convertGeminiUsage", () => {
  test("input excludes cached tokens (IR convention); output adds thoughts to candidates", () => {
    expect(
      convertGeminiUsage({
        promptTokenCount: 100,
        cachedContentTokenCount: 60,
        candidatesTokenCount: 10,
        thoughtsTokenCount: 25,
        totalTokenCount: 135,
      }),
    ).toEqual({ inputTokens: 40, outputTokens: 35, cacheReadTokens: 60, reasoningTokens: 25 });
  });
  test("missing counts are zero and optional fields stay absent", () => {
    expect(convertGeminiUsage({ promptTokenCount: 7, totalTokenCount: 7 })).toEqual({
      inputTokens: 7,
      outputTokens: 0,
    });
    expect(convertGeminiUsage(undefined)).toEqual({ inputTokens: 0, outputTokens: 0 });
  });
  test("tool-use prompt tokens count as input", () => {
    expect(
      convertGeminiUsage({ promptTokenCount: 5, toolUsePromptTokenCount: 3, candidatesTokenCount: 1 }),
    ).toEqual({
      inputTokens: 8,
      outputTokens: 1,
    });
  });
});

describe("thought signatures", () => {
  test("marked signatures round-trip; foreign ones are not Gemini's", () => {
    const marked = markGeminiSignature("CiQBVKhc7g==");
    expect(marked).toBe("gemini:CiQBVKhc7g==");
    expect(isGeminiSignature(marked)).toBe(true);
    expect(readGeminiSignature(marked)).toBe("CiQBVKhc7g==");
    expect(readGeminiSignature("EqQBCkgIARABGAIiQL")).toBeUndefined();
    expect(isGeminiSignature("EqQBCkgIARABGAIiQL")).toBe(false);
    expect(readGeminiSignature(undefined)).toBeUndefined();
    expect(readGeminiSignature("gemini:")).toBeUndefined();
  });
  test("call-bound signatures name their tool call and are not read as positional ones", () => {
    const stashed = markGeminiCallSignature("call_ab:c", "Ci0B+/x=");
    expect(stashed).toBe("gemini:call:call_ab:c:Ci0B+/x=");
    expect(isGeminiSignature(stashed)).toBe(true);
    expect(readGeminiSignature(stashed)).toBeUndefined();
    expect(readGeminiCallSignature(stashed)).toEqual({ toolCallId: "call_ab:c", signature: "Ci0B+/x=" });
    expect(readGeminiCallSignature("gemini:Ci0B")).toBeUndefined();
    expect(readGeminiCallSignature("gemini:call:noSignature:")).toBeUndefined();
  });
  test("text-bound signatures", () => {
    expect(markGeminiTextSignature("Ab+=")).toBe("gemini:text:Ab+=");
    expect(readGeminiTextSignature("gemini:text:Ab+=")).toBe("Ab+=");
    expect(readGeminiSignature("gemini:text:Ab+=")).toBeUndefined();
    expect(readGeminiTextSignature("gemini:Ab+=")).toBeUndefined();
  });
});
