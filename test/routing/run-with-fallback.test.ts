import { describe, expect, test } from "bun:test";
import type { ProviderKey, ResolvedConfig } from "../../src/config/types.ts";
import { GatewayError } from "../../src/errors/gateway-error.ts";
import type { AttemptRecord } from "../../src/observe/request-outcome.ts";
import type { Target } from "../../src/routing/resolve-targets.ts";
import { RoutingState } from "../../src/routing/routing-state.ts";
import { type AttemptResult, runWithFallback } from "../../src/routing/run-with-fallback.ts";
import { makeConfig, makeProvider } from "./make-config.ts";

type Step = AttemptResult<string> | Error;

const ok = (value: string): Step => ({ ok: true, value });
const http = (status: number, retryAfterMs?: number, message = `upstream said ${status}`): Step => ({
  ok: false,
  failure: "http",
  status,
  retryAfterMs,
  error: new GatewayError({
    kind: status === 429 ? "rate_limit" : status >= 500 ? "api_error" : "invalid_request",
    status,
    message,
    code: `upstream_${status}`,
  }),
});
const timeout = (): Step => ({
  ok: false,
  failure: "timeout",
  error: new GatewayError({ kind: "timeout", status: 504, message: "upstream timed out" }),
});
const network = (): Step => ({
  ok: false,
  failure: "network",
  error: new GatewayError({ kind: "api_error", status: 502, message: "connection refused" }),
});

/**
 * A scripted gateway run: `script` maps `provider` or `provider@key` to the outcomes of its calls in
 * order (the last one repeats). The clock only moves when the fake sleep waits.
 */
function harness(config: ResolvedConfig, options: { random?: () => number } = {}) {
  let clock = 1_000_000;
  const state = new RoutingState(config, { now: () => clock, random: options.random ?? (() => 0) });
  const sleeps: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    sleeps.push(ms);
    clock += ms;
  };
  const run = async (targets: Target[], script: Record<string, Step[]>, signal?: AbortSignal) => {
    const calls: string[] = [];
    const attempts: AttemptRecord[] = [];
    const used = new Map<string, number>();
    const attempt = async (target: Target, key: ProviderKey | undefined): Promise<AttemptResult<string>> => {
      const id = key ? `${target.provider.name}@${key.label}` : target.provider.name;
      calls.push(id);
      const steps = script[id] ?? script[target.provider.name];
      if (!steps) throw new Error(`no script for ${id}`);
      const index = used.get(id) ?? 0;
      used.set(id, index + 1);
      clock += 7; // every upstream call takes 7 ms
      const step = steps[Math.min(index, steps.length - 1)];
      if (step instanceof Error) throw step;
      return step;
    };
    try {
      const result = await runWithFallback(targets, attempt, { config, state, attempts, sleep, signal });
      return { result, error: undefined, calls, attempts };
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      return { result: undefined, error, calls, attempts };
    }
  };
  return {
    state,
    sleeps,
    run,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const a = makeProvider("a");
const b = makeProvider("b");
const c = makeProvider("c");
const target = (provider: typeof a, model = "m"): Target => ({ provider, model });
const chain = [target(a), target(b)];

describe("fallback across targets", () => {
  test("a 500 on the first target falls back to the next after its retries", async () => {
    const { run, sleeps } = harness(makeConfig([a, b], [], { retries: 2 }), { random: () => 0.5 });
    const { result, calls, attempts } = await run(chain, { a: [http(500)], b: [ok("from b")] });
    expect(result?.value).toBe("from b");
    expect(result?.target.provider.name).toBe("b");
    expect(calls).toEqual(["a", "a", "a", "b"]);
    // Full jitter: random 0.5 of 250·2^0 and 250·2^1.
    expect(sleeps).toEqual([125, 250]);
    expect(attempts).toEqual([
      { provider: "a", model: "m", keyLabel: null, status: 500, outcome: "http", latencyMs: 7 },
      { provider: "a", model: "m", keyLabel: null, status: 500, outcome: "http", latencyMs: 7 },
      { provider: "a", model: "m", keyLabel: null, status: 500, outcome: "http", latencyMs: 7 },
      { provider: "b", model: "m", keyLabel: null, status: 200, outcome: "ok", latencyMs: 7 },
    ]);
  });

  test("a retry that succeeds stays on the same target", async () => {
    const { run } = harness(makeConfig([a, b]));
    const { result, calls } = await run(chain, { a: [http(502), ok("second try")], b: [ok("b")] });
    expect(result?.value).toBe("second try");
    expect(calls).toEqual(["a", "a"]);
  });

  test("backoff grows exponentially and is capped", async () => {
    const config = makeConfig([a], [], { retries: 4, retryBackoffMs: 1000, retryAfterCapMs: 3000 });
    const { run, sleeps } = harness(config, { random: () => 0.999999 });
    await run([target(a)], { a: [http(500)] });
    expect(sleeps).toEqual([999, 1999, 2999, 2999]);
  });

  test("a 429 without Retry-After is retried with backoff, then falls back", async () => {
    const { run, sleeps } = harness(makeConfig([a, b], [], { retries: 1 }), { random: () => 1 - 1e-9 });
    const { result, calls } = await run(chain, { a: [http(429)], b: [ok("b")] });
    expect(result?.value).toBe("b");
    expect(calls).toEqual(["a", "a", "b"]);
    expect(sleeps).toEqual([249]);
  });

  test("a 429 with Retry-After under the cap waits exactly that long", async () => {
    const { run, sleeps } = harness(makeConfig([a, b]));
    const { result, calls } = await run(chain, { a: [http(429, 2000), ok("a after wait")] });
    expect(result?.value).toBe("a after wait");
    expect(calls).toEqual(["a", "a"]);
    expect(sleeps).toEqual([2000]);
  });

  test("a Retry-After above the cap moves to the next target at once", async () => {
    const { run, sleeps } = harness(makeConfig([a, b], [], { retryAfterCapMs: 5000 }));
    const { result, calls } = await run(chain, { a: [http(429, 60_000)], b: [ok("b")] });
    expect(result?.value).toBe("b");
    expect(calls).toEqual(["a", "b"]);
    expect(sleeps).toEqual([]);
  });

  test("timeouts and network errors fall back", async () => {
    const { run } = harness(makeConfig([a, b, c], [], { retries: 0 }));
    const { result, attempts } = await run([target(a), target(b), target(c)], {
      a: [timeout()],
      b: [network()],
      c: [ok("c")],
    });
    expect(result?.value).toBe("c");
    expect(attempts.map((attempt) => [attempt.provider, attempt.status, attempt.outcome])).toEqual([
      ["a", 0, "timeout"],
      ["b", 0, "network"],
      ["c", 200, "ok"],
    ]);
  });

  test("an attempt function that throws a plain error (a gateway bug) stops everything and opens no breaker", async () => {
    const config = makeConfig([a, b], [], {
      retries: 0,
      circuitBreaker: { failures: 1, cooldownMs: 60_000 },
    });
    const { run, state } = harness(config);
    const thrown = new RangeError("Maximum call stack size exceeded.");
    await expect(run(chain, { a: [thrown], b: [ok("b")] })).rejects.toBe(thrown);
    expect(state.isProviderOpen(a)).toBe(false);
    // The provider still answers the next request.
    const { result } = await run(chain, { a: [ok("a")], b: [ok("b")] });
    expect(result?.value).toBe("a");
  });

  test("an attempt function that throws a GatewayError stops everything with it", async () => {
    const { run } = harness(makeConfig([a, b], [], { retries: 0 }));
    const thrown = new GatewayError({ kind: "invalid_request", status: 400, message: "cannot translate" });
    const { error, calls } = await run(chain, { a: [thrown], b: [ok("b")] });
    expect(error).toBe(thrown);
    expect(calls).toEqual(["a"]);
  });

  test("a 4xx other than 429 is returned at once: no retry, no fallback", async () => {
    const { run, sleeps } = harness(makeConfig([a, b]));
    const { error, calls } = await run(chain, { a: [http(400, undefined, "messages: field required")] });
    expect(error?.status).toBe(400);
    expect(error?.message).toBe("messages: field required");
    expect(calls).toEqual(["a"]);
    expect(sleeps).toEqual([]);
  });

  test("failures left out of fallback_on are returned at once", async () => {
    const config = makeConfig([a, b], [], {
      fallbackOn: { statuses: new Set(), any5xx: false, timeout: false, network: true },
    });
    const { run } = harness(config);
    const rateLimited = await run(chain, { a: [http(429, 1000)] });
    expect(rateLimited.error?.status).toBe(429);
    expect(rateLimited.calls).toEqual(["a"]);
    const timedOut = await run(chain, { a: [timeout()] });
    expect(timedOut.error?.status).toBe(504);
    expect(timedOut.calls).toEqual(["a"]);
    const serverError = await run(chain, { a: [http(500)] });
    expect(serverError.error?.status).toBe(500);
    expect(serverError.calls).toEqual(["a"]);
  });

  test("an extra status listed in fallback_on is retryable", async () => {
    const config = makeConfig([a, b], [], {
      retries: 0,
      fallbackOn: { statuses: new Set([408, 429]), any5xx: true, timeout: true, network: true },
    });
    const { run } = harness(config);
    const { result } = await run(chain, { a: [http(408)], b: [ok("b")] });
    expect(result?.value).toBe("b");
  });
});

describe("final error when every target failed", () => {
  const config = makeConfig([a, b], [], { retries: 0 });

  test("the last upstream 5xx status, its message kept", async () => {
    const { run } = harness(config);
    const { error } = await run(chain, { a: [timeout()], b: [http(503, undefined, "b is overloaded")] });
    expect(error?.status).toBe(503);
    expect(error?.kind).toBe("overloaded");
    expect(error?.message).toBe("b is overloaded");
    expect(error?.code).toBe("upstream_503");
  });

  test("a last 500 gives 500 api_error", async () => {
    const { run } = harness(config);
    const { error } = await run(chain, { a: [http(429)], b: [http(500)] });
    expect(error?.status).toBe(500);
    expect(error?.kind).toBe("api_error");
  });

  test("a last 429 keeps its status and Retry-After", async () => {
    const { run } = harness(config);
    const { error } = await run(chain, { a: [http(500)], b: [http(429, 60_000, "slow down")] });
    expect(error?.status).toBe(429);
    expect(error?.kind).toBe("rate_limit");
    expect(error?.message).toBe("slow down");
    expect(error?.headers).toEqual({ "retry-after": "60" });
  });

  test("a last timeout gives 504", async () => {
    const { run } = harness(config);
    const { error } = await run(chain, { a: [http(500)], b: [timeout()] });
    expect(error?.status).toBe(504);
    expect(error?.kind).toBe("timeout");
  });

  test("a last network error gives 502", async () => {
    const { run } = harness(config);
    const { error } = await run(chain, { a: [timeout()], b: [network()] });
    expect(error?.status).toBe(502);
    expect(error?.kind).toBe("api_error");
    expect(error?.message).toBe("connection refused");
  });
});

describe("provider keys", () => {
  const keyed = makeProvider("keyed", { keys: ["k1", "k2"] });
  const config = makeConfig([keyed, b], [], { retries: 1 });
  const keyedChain = [target(keyed), target(b)];

  test("a 429 moves to another key of the same provider first, without waiting", async () => {
    const { run, sleeps } = harness(config);
    const { result, calls, attempts } = await run(keyedChain, {
      "keyed@k1": [http(429, 1000)],
      "keyed@k2": [ok("k2")],
    });
    expect(result?.value).toBe("k2");
    expect(result?.key?.label).toBe("k2");
    expect(calls).toEqual(["keyed@k1", "keyed@k2"]);
    expect(attempts.map((attempt) => attempt.keyLabel)).toEqual(["k1", "k2"]);
    expect(sleeps).toEqual([]);
  });

  test("when every key is rate limited the provider waits, then falls back", async () => {
    const { run, sleeps } = harness(config);
    const { result, calls } = await run(keyedChain, { keyed: [http(429, 500)], b: [ok("b")] });
    expect(result?.value).toBe("b");
    // Round 1: k1, k2; wait 500 ms; round 2 (one retry): k1, k2; then b.
    expect(calls).toEqual(["keyed@k1", "keyed@k2", "keyed@k1", "keyed@k2", "b"]);
    expect(sleeps).toEqual([500]);
  });

  test("a rate-limited key is avoided by the next request while it cools down", async () => {
    const { run, state } = harness(config);
    await run(keyedChain, { "keyed@k1": [http(429, 5000)], "keyed@k2": [ok("k2")] });
    const next = await run(keyedChain, { "keyed@k1": [ok("k1")], "keyed@k2": [ok("k2")] });
    expect(next.calls).toEqual(["keyed@k2"]);
    expect(state.snapshot().providers[0].keys[0].cooldownUntil).toBeGreaterThan(0);
  });

  test("a 401 skips the key for the rest of the request and cools it down for later ones", async () => {
    const { run, state, advance } = harness(config);
    const first = await run(keyedChain, {
      "keyed@k1": [http(401, undefined, "Incorrect API key provided: secret-k1")],
      "keyed@k2": [http(500), ok("k2")],
    });
    expect(first.result?.value).toBe("k2");
    // k2's 500 is retried on k2: k1 stays out for this request.
    expect(first.calls).toEqual(["keyed@k1", "keyed@k2", "keyed@k2"]);
    const snapshot = state.snapshot().providers[0].keys;
    expect(snapshot[0].label).toBe("k1");
    expect(snapshot[0].cooldownUntil).toBeDefined();
    const second = await run(keyedChain, { "keyed@k1": [ok("k1")], "keyed@k2": [ok("k2")] });
    expect(second.calls).toEqual(["keyed@k2"]);
    advance(30_001);
    const third = await run(keyedChain, { "keyed@k1": [ok("k1")], "keyed@k2": [ok("k2")] });
    expect(third.calls).toEqual(["keyed@k1"]);
  });

  test("a 403 on every key moves on, and alone gives a 502 that hides the upstream message", async () => {
    const { run } = harness(config);
    const moved = await run(keyedChain, { keyed: [http(403)], b: [ok("b")] });
    expect(moved.result?.value).toBe("b");
    expect(moved.calls).toEqual(["keyed@k1", "keyed@k2", "b"]);

    const alone = harness(config);
    const { error } = await alone.run([target(keyed)], {
      keyed: [http(401, undefined, "Incorrect API key provided: secret-k1")],
    });
    expect(error?.status).toBe(502);
    expect(error?.code).toBe("upstream_auth_failed");
    expect(error?.message).toContain("keyed");
    expect(error?.message).not.toContain("secret");
  });

  test("keys are picked by weight among healthy keys", () => {
    const weightedKeys = makeProvider("w", {
      keys: [
        { label: "heavy", weight: 3 },
        { label: "light", weight: 1 },
      ],
    });
    let draw = 0;
    const state = new RoutingState(makeConfig([weightedKeys]), { random: () => (draw++ % 100) / 100 });
    const counts: Record<string, number> = { heavy: 0, light: 0 };
    for (let i = 0; i < 1000; i++) counts[state.pickKey(weightedKeys)?.label ?? "none"]++;
    expect(counts).toEqual({ heavy: 750, light: 250 });
  });
});

describe("circuit breaker", () => {
  const config = makeConfig([a, b], [], {
    retries: 0,
    circuitBreaker: { failures: 2, cooldownMs: 10_000 },
  });

  test("opens after consecutive failures, is skipped, then half-opens for one probe", async () => {
    const { run, state, advance } = harness(config);
    await run([target(a)], { a: [http(500)] });
    expect(state.snapshot().providers[0]).toMatchObject({
      name: "a",
      state: "closed",
      consecutiveFailures: 1,
    });
    await run([target(a)], { a: [http(500)] });
    expect(state.snapshot().providers[0]).toMatchObject({ state: "open", consecutiveFailures: 2 });

    // Open: skipped at once, recorded, the next target answers.
    const skipped = await run(chain, { a: [ok("a")], b: [ok("b")] });
    expect(skipped.result?.value).toBe("b");
    expect(skipped.calls).toEqual(["b"]);
    expect(skipped.attempts[0]).toEqual({
      provider: "a",
      model: "m",
      keyLabel: null,
      status: -1,
      outcome: "breaker_open",
      latencyMs: 0,
    });

    // Every target open: 503 with the time until the probe.
    const alone = await run([target(a)], { a: [ok("a")] });
    expect(alone.error?.status).toBe(503);
    expect(alone.error?.code).toBe("circuit_open");
    expect(alone.error?.headers["retry-after"]).toBe("10");
    expect(alone.calls).toEqual([]);

    advance(10_000);
    expect(state.snapshot().providers[0].state).toBe("half_open");
    // The probe fails: open again, and the next request skips a.
    const probe = await run(chain, { a: [http(500)], b: [ok("b")] });
    expect(probe.calls).toEqual(["a", "b"]);
    expect(state.snapshot().providers[0].state).toBe("open");
    expect((await run(chain, { a: [ok("a")], b: [ok("b")] })).calls).toEqual(["b"]);

    advance(10_000);
    const recovered = await run(chain, { a: [ok("a")], b: [ok("b")] });
    expect(recovered.calls).toEqual(["a"]);
    expect(state.snapshot().providers[0]).toMatchObject({ state: "closed", consecutiveFailures: 0 });
  });

  test("half-open lets exactly one probe through at a time", async () => {
    const { state, advance } = harness(config);
    state.recordFailure(target(a), undefined);
    state.recordFailure(target(a), undefined);
    expect(state.acquireProvider(a)).toBe(false);
    advance(10_000);
    expect(state.acquireProvider(a)).toBe(true);
    expect(state.acquireProvider(a)).toBe(false);
    state.recordSuccess(target(a), undefined);
    expect(state.acquireProvider(a)).toBe(true);
    expect(state.acquireProvider(a)).toBe(true);
  });

  test("a success resets the count: failures must be consecutive", async () => {
    const { run, state } = harness(config);
    await run([target(a)], { a: [http(500)] });
    await run([target(a)], { a: [ok("a")] });
    await run([target(a)], { a: [http(500)] });
    expect(state.snapshot().providers[0]).toMatchObject({ state: "closed", consecutiveFailures: 1 });
  });

  test("a breaker opening mid-request stops that target's retries", async () => {
    const retrying = makeConfig([a, b], [], {
      retries: 5,
      circuitBreaker: { failures: 2, cooldownMs: 10_000 },
    });
    const { run } = harness(retrying);
    const { calls } = await run(chain, { a: [http(500)], b: [ok("b")] });
    expect(calls).toEqual(["a", "a", "b"]);
  });

  test("an upstream 4xx is not a breaker failure", async () => {
    const { run, state } = harness(config);
    for (let i = 0; i < 3; i++) await run([target(a)], { a: [http(400)] });
    expect(state.snapshot().providers[0]).toMatchObject({ state: "closed", consecutiveFailures: 0 });
  });

  test("a stream failure reported after success counts towards the breaker", () => {
    const { state } = harness(config);
    state.recordSuccess(target(a), undefined);
    state.recordFailure(target(a), undefined);
    state.recordFailure(target(a), undefined);
    expect(state.snapshot().providers[0].state).toBe("open");
  });

  test("per-key breakers open on their own and the provider uses its other keys", async () => {
    const keyed = makeProvider("keyed", { keys: ["k1", "k2"] });
    const keyedConfig = makeConfig([keyed], [], {
      retries: 0,
      circuitBreaker: { failures: 2, cooldownMs: 10_000 },
    });
    const { run, state } = harness(keyedConfig);
    state.recordFailure(target(keyed), keyed.keys[0]);
    state.recordFailure(target(keyed), keyed.keys[0]);
    state.recordSuccess(target(keyed), keyed.keys[1]);
    expect(state.snapshot().providers[0]).toMatchObject({
      state: "closed",
      keys: [
        { label: "k1", state: "open", consecutiveFailures: 2 },
        { label: "k2", state: "closed", consecutiveFailures: 0 },
      ],
    });
    const { calls } = await run([target(keyed)], { keyed: [ok("ok")] });
    expect(calls).toEqual(["keyed@k2"]);
  });
});

describe("client abort", () => {
  test("an abort during backoff stops at once with 499", async () => {
    const config = makeConfig([a, b], [], { retries: 3, retryBackoffMs: 60_000, retryAfterCapMs: 60_000 });
    const state = new RoutingState(config, { random: () => 0.99 });
    const controller = new AbortController();
    const calls: string[] = [];
    const attempts: AttemptRecord[] = [];
    const started = performance.now();
    setTimeout(() => controller.abort(), 20);
    const outcome = await runWithFallback(
      [target(a), target(b)],
      async (t) => {
        calls.push(t.provider.name);
        return http(500) as AttemptResult<string>;
      },
      { config, state, attempts, signal: controller.signal },
    ).catch((error: unknown) => error);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(outcome).toBeInstanceOf(GatewayError);
    expect((outcome as GatewayError).status).toBe(499);
    expect(calls).toEqual(["a"]);
  });

  test("an already-aborted signal attempts nothing", async () => {
    const { run } = harness(makeConfig([a, b]));
    const controller = new AbortController();
    controller.abort();
    const { error, calls, attempts } = await run(chain, { a: [ok("a")] }, controller.signal);
    expect(error?.status).toBe(499);
    expect(error?.code).toBe("client_closed_request");
    expect(calls).toEqual([]);
    expect(attempts).toEqual([]);
  });

  test("a failure that comes back after the client left is recorded as aborted, not retried", async () => {
    const config = makeConfig([a, b]);
    const state = new RoutingState(config);
    const controller = new AbortController();
    const attempts: AttemptRecord[] = [];
    const outcome = await runWithFallback(
      [target(a), target(b)],
      async () => {
        controller.abort();
        return network() as AttemptResult<string>;
      },
      { config, state, attempts, signal: controller.signal },
    ).catch((error: unknown) => error);
    expect((outcome as GatewayError).status).toBe(499);
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(["aborted"]);
    expect(state.snapshot().providers[0].consecutiveFailures).toBe(0);
  });
});
