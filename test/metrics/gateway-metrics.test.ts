import { describe, expect, test } from "bun:test";
import { MAX_MODEL_LABEL_LENGTH, MAX_MODEL_LABELS, OTHER_MODEL } from "../../src/metrics/gateway-metrics.ts";
import { GatewayMetrics } from "../../src/metrics/metrics.ts";
import { makeOutcome } from "../usage/outcome-fixture.ts";
import { parseExposition, sampleValue } from "./parse-exposition.ts";

const REQ = { endpoint: "chat_completions", provider: "openai", model: "gpt-4o-mini", key: "ci-bot" };

describe("GatewayMetrics", () => {
  test("an empty registry renders valid text with the gauges at zero", () => {
    const m = new GatewayMetrics();
    const parsed = parseExposition(m.render());
    expect(sampleValue(parsed, "switchboard_requests_in_flight")).toBe(0);
    expect(sampleValue(parsed, "switchboard_streams_in_flight")).toBe(0);
    expect(sampleValue(parsed, "switchboard_usage_records_dropped_total")).toBe(0);
    for (const name of [
      "switchboard_requests_total",
      "switchboard_errors_total",
      "switchboard_tokens_total",
      "switchboard_cost_usd_total",
      "switchboard_rate_limited_total",
      "switchboard_circuit_breaker_state",
      "switchboard_usage_buffer_depth",
    ]) {
      expect(parsed.types.has(name)).toBe(true);
    }
    expect(parsed.types.get("switchboard_request_duration_seconds")).toBe("histogram");
    expect(parsed.types.get("switchboard_time_to_first_token_seconds")).toBe("histogram");
    expect(parsed.types.get("switchboard_upstream_duration_seconds")).toBe("histogram");
    expect(parsed.types.get("switchboard_gateway_overhead_seconds")).toBe("histogram");
  });

  test("observe() counts requests, tokens, cost and latencies with the right labels", () => {
    const m = new GatewayMetrics();
    const usage = {
      inputTokens: 100,
      outputTokens: 50,
      cacheReadTokens: 10,
      cacheWriteTokens: 5,
      reasoningTokens: 20,
    };
    m.observe(makeOutcome({ usage, latencyMs: 150, upstreamLatencyMs: 110 }), 0.001);
    m.observe(
      makeOutcome({ usage, latencyMs: 2500, upstreamLatencyMs: 90, stream: true, ttftMs: 300 }),
      0.002,
    );
    const p = parseExposition(m.render());
    expect(sampleValue(p, "switchboard_requests_total", { ...REQ, status: "200" })).toBe(2);
    expect(sampleValue(p, "switchboard_errors_total", REQ)).toBeUndefined();
    for (const [type, n] of [
      ["input", 200],
      ["output", 100],
      ["cache_read", 20],
      ["cache_write", 10],
      ["reasoning", 40],
    ] as const) {
      expect(
        sampleValue(p, "switchboard_tokens_total", {
          provider: "openai",
          model: "gpt-4o-mini",
          key: "ci-bot",
          type,
        }),
      ).toBe(n);
    }
    expect(sampleValue(p, "switchboard_cost_usd_total", { provider: "openai", key: "ci-bot" })).toBeCloseTo(
      0.003,
      12,
    );
    const dur = { endpoint: "chat_completions", provider: "openai", model: "gpt-4o-mini" };
    expect(sampleValue(p, "switchboard_request_duration_seconds_count", dur)).toBe(2);
    expect(sampleValue(p, "switchboard_request_duration_seconds_sum", dur)).toBeCloseTo(2.65, 12);
    expect(sampleValue(p, "switchboard_request_duration_seconds_bucket", { ...dur, le: "0.25" })).toBe(1);
    expect(sampleValue(p, "switchboard_request_duration_seconds_bucket", { ...dur, le: "2.5" })).toBe(2);
    expect(sampleValue(p, "switchboard_request_duration_seconds_bucket", { ...dur, le: "+Inf" })).toBe(2);
    expect(sampleValue(p, "switchboard_time_to_first_token_seconds_count", dur)).toBe(1); // streams only
    expect(sampleValue(p, "switchboard_time_to_first_token_seconds_sum", dur)).toBeCloseTo(0.3, 12);
    expect(sampleValue(p, "switchboard_upstream_duration_seconds_count", { provider: "openai" })).toBe(2);
    expect(sampleValue(p, "switchboard_upstream_duration_seconds_sum", { provider: "openai" })).toBeCloseTo(
      0.2,
      12,
    );
    // overhead: non-stream only, 150 ms total − 120 ms in the attempt
    expect(sampleValue(p, "switchboard_gateway_overhead_seconds_count")).toBe(1);
    expect(sampleValue(p, "switchboard_gateway_overhead_seconds_sum")).toBeCloseTo(0.03, 12);
  });

  test("errors are counted with status and type; limiter refusals are counted per key", () => {
    const m = new GatewayMetrics();
    m.observe(makeOutcome({ status: 502, errorType: "api_error", usage: null }), null);
    m.observe(
      makeOutcome({
        status: 429,
        errorType: "rate_limit",
        attempts: [],
        provider: null,
        upstreamModel: null,
        usage: null,
      }),
      null,
    );
    m.rateLimited("ci-bot");
    // an upstream 429 passed through is not the gateway's own limit
    m.observe(makeOutcome({ status: 429, errorType: "rate_limit", usage: null }), null);
    const p = parseExposition(m.render());
    expect(sampleValue(p, "switchboard_errors_total", { ...REQ, status: "502", type: "api_error" })).toBe(1);
    expect(sampleValue(p, "switchboard_requests_total", { ...REQ, status: "502" })).toBe(1);
    expect(sampleValue(p, "switchboard_rate_limited_total", { key: "ci-bot" })).toBe(1);
    expect(sampleValue(p, "switchboard_errors_total", { provider: "", model: "fast", status: "429" })).toBe(
      1,
    );
  });

  test("in-flight gauges, breaker states and usage buffer", () => {
    const m = new GatewayMetrics();
    m.requestStarted();
    m.requestStarted();
    m.streamStarted();
    m.requestEnded();
    m.setBreakerStates({ openai: "open", anthropic: "closed", groq: "half_open" });
    m.setUsageBuffer({ buffered: 7, dropped: 3, written: 100, failedWrites: 2 });
    let p = parseExposition(m.render());
    expect(sampleValue(p, "switchboard_requests_in_flight")).toBe(1);
    expect(sampleValue(p, "switchboard_streams_in_flight")).toBe(1);
    expect(sampleValue(p, "switchboard_circuit_breaker_state", { provider: "openai" })).toBe(2);
    expect(sampleValue(p, "switchboard_circuit_breaker_state", { provider: "anthropic" })).toBe(0);
    expect(sampleValue(p, "switchboard_circuit_breaker_state", { provider: "groq" })).toBe(1);
    expect(sampleValue(p, "switchboard_usage_buffer_depth")).toBe(7);
    expect(sampleValue(p, "switchboard_usage_records_dropped_total")).toBe(3);
    expect(sampleValue(p, "switchboard_usage_records_written_total")).toBe(100);
    m.setBreakerStates(new Map([["openai", "closed" as const]]));
    p = parseExposition(m.render());
    expect(sampleValue(p, "switchboard_circuit_breaker_state", { provider: "openai" })).toBe(0);
    expect(sampleValue(p, "switchboard_circuit_breaker_state", { provider: "groq" })).toBeUndefined();
    // RoutingState.snapshot() shape
    m.setBreakerStates({ providers: [{ name: "gemini", state: "half_open" }] });
    p = parseExposition(m.render());
    expect(sampleValue(p, "switchboard_circuit_breaker_state", { provider: "gemini" })).toBe(1);
    expect(sampleValue(p, "switchboard_circuit_breaker_state", { provider: "openai" })).toBeUndefined();
  });

  test("label values from clients are escaped (a model name is client input)", () => {
    const m = new GatewayMetrics();
    m.observe(makeOutcome({ upstreamModel: 'evil"} 1\nfake_metric 2', provider: null, attempts: [] }), null);
    const p = parseExposition(m.render());
    expect(p.samples.some((s) => s.name === "fake_metric")).toBe(false);
    expect(sampleValue(p, "switchboard_requests_total", { model: 'evil"} 1\nfake_metric 2' })).toBe(1);
  });

  test("observe() stays cheap: 100k observations well under a second", () => {
    const m = new GatewayMetrics();
    const outcome = makeOutcome({ usage: { inputTokens: 1, outputTokens: 1 } });
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) m.observe(outcome, 0.0001);
    const perCallUs = ((performance.now() - started) * 1000) / 100_000;
    expect(perCallUs).toBeLessThan(20); // measured ≈0.3 µs; generous for loaded CI machines
  });

  test("model names clients choose are bounded: long ones cut, new ones past the limit counted as `other`", () => {
    const m = new GatewayMetrics();
    const unknown = (model: string) =>
      makeOutcome({ provider: null, upstreamModel: null, modelRequested: model, status: 404, usage: null });
    m.observe(unknown("x".repeat(10_000)), null);
    for (let i = 0; i < MAX_MODEL_LABELS + 50; i++) m.observe(unknown(`fuzz-${i}`), null);
    m.observe(unknown("fuzz-0"), null); // a name already labelled keeps its label
    const p = parseExposition(m.render());
    const models = new Set(
      p.samples.filter((s) => s.name === "switchboard_requests_total").map((s) => s.labels.model),
    );
    expect(models.size).toBe(MAX_MODEL_LABELS + 1); // the names in use, and `other`
    expect(models.has(`${"x".repeat(MAX_MODEL_LABEL_LENGTH)}…`)).toBe(true);
    const base = { endpoint: "chat_completions", provider: "", key: "ci-bot", status: "404" };
    expect(sampleValue(p, "switchboard_requests_total", { ...base, model: "fuzz-0" })).toBe(2);
    expect(sampleValue(p, "switchboard_requests_total", { ...base, model: OTHER_MODEL })).toBe(51);
  });
});
