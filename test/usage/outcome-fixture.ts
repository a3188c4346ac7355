import type { RequestOutcome } from "../../src/observe/request-outcome.ts";
import type { UsageRecord } from "../../src/usage/usage-record.ts";

/** A finished, successful, non-stream request; override what a test is about. */
export function makeOutcome(overrides: Partial<RequestOutcome> = {}): RequestOutcome {
  return {
    requestId: "req_1",
    startedAt: Date.UTC(2025, 0, 15, 10, 30, 0),
    keyName: "ci-bot",
    endpoint: "chat_completions",
    modelRequested: "fast",
    provider: "openai",
    upstreamModel: "gpt-4o-mini",
    attempts: [
      {
        provider: "openai",
        model: "gpt-4o-mini",
        keyLabel: "key-1",
        status: 200,
        outcome: "ok",
        latencyMs: 120,
      },
    ],
    status: 200,
    stream: false,
    latencyMs: 150,
    ttftMs: null,
    upstreamLatencyMs: 110,
    usage: { inputTokens: 1000, outputTokens: 500 },
    translated: false,
    ...overrides,
  };
}

/** A usage row with every column set; override what a test is about. */
export function makeRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    ts: Date.UTC(2025, 0, 15, 10, 30, 0),
    recordId: crypto.randomUUID(),
    requestId: "req_1",
    keyName: "ci-bot",
    endpoint: "chat_completions",
    modelRequested: "fast",
    provider: "openai",
    model: "gpt-4o-mini",
    attempts: 1,
    attemptsJson: "[]",
    status: 200,
    stream: false,
    latencyMs: 150,
    ttftMs: null,
    inputTokens: 1000,
    outputTokens: 500,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0.00045,
    errorType: null,
    ...overrides,
  };
}
