import { describe, expect, test } from "bun:test";
import { costOfOutcome, toUsageRecord } from "../../src/usage/usage-record.ts";
import { makeOutcome } from "./outcome-fixture.ts";

describe("toUsageRecord", () => {
  test("maps every field of a finished request", () => {
    const outcome = makeOutcome({
      stream: true,
      ttftMs: 42.6,
      latencyMs: 150.4,
      usage: {
        inputTokens: 1000,
        outputTokens: 500,
        cacheReadTokens: 200,
        cacheWriteTokens: 0,
        reasoningTokens: 64,
      },
    });
    expect(toUsageRecord(outcome, {})).toEqual({
      ts: Date.UTC(2025, 0, 15, 10, 30, 0),
      recordId: expect.any(String),
      requestId: "req_1",
      keyName: "ci-bot",
      endpoint: "chat_completions",
      modelRequested: "fast",
      provider: "openai",
      model: "gpt-4o-mini",
      attempts: 1,
      attemptsJson:
        '[{"provider":"openai","model":"gpt-4o-mini","keyLabel":"key-1","status":200,"outcome":"ok","latencyMs":120}]',
      status: 200,
      stream: true,
      latencyMs: 150,
      ttftMs: 43,
      inputTokens: 1000,
      outputTokens: 500,
      cacheReadTokens: 200,
      cacheWriteTokens: 0,
      reasoningTokens: 64,
      // gpt-4o-mini: 0.15 in, 0.60 out, 0.075 cache read per 1M
      costUsd: (1000 * 0.15 + 500 * 0.6 + 200 * 0.075) / 1e6,
      errorType: null,
    });
  });

  test("every record gets its own record id, even for a repeated request id", () => {
    const a = toUsageRecord(makeOutcome(), {});
    const b = toUsageRecord(makeOutcome(), {});
    expect(a.requestId).toBe(b.requestId);
    expect(a.recordId).not.toBe(b.recordId);
  });

  test("a request that failed before any usage has zero tokens and null cost", () => {
    const record = toUsageRecord(
      makeOutcome({ status: 502, usage: null, errorType: "api_error", provider: null, upstreamModel: null }),
      {},
    );
    expect(record.inputTokens).toBe(0);
    expect(record.outputTokens).toBe(0);
    expect(record.costUsd).toBeNull();
    expect(record.errorType).toBe("api_error");
    expect(record.provider).toBeNull();
  });

  test("cost uses the upstream model with config prices, provider-qualified first", () => {
    const prices = {
      "openai/gpt-4o-mini": { input: 1, output: 1 },
      "gpt-4o-mini": { input: 100, output: 100 },
    };
    expect(toUsageRecord(makeOutcome(), prices).costUsd).toBe((1000 + 500) / 1e6);
  });

  test("an unpriced model records null cost but keeps the tokens", () => {
    const record = toUsageRecord(makeOutcome({ upstreamModel: "llama3.3", provider: "local" }), {});
    expect(record.costUsd).toBeNull();
    expect(record.inputTokens).toBe(1000);
  });
});

test("costOfOutcome gives the row's cost (for metrics)", () => {
  const prices = { "openai/gpt-4o-mini": { input: 1, output: 1 } };
  const outcome = makeOutcome();
  expect(costOfOutcome(outcome, prices)).toBe(toUsageRecord(outcome, prices).costUsd);
  expect(costOfOutcome(makeOutcome({ usage: null }), prices)).toBeNull();
});
