// Property-based fuzzing of every generation endpoint through the real gateway (issue 15): valid
// requests of each protocol, the same mutated, malformed JSON, odd headers. Whatever is sent,
// the answer is never a 5xx the upstream did not cause (the mock answers every call normally),
// errors come in the endpoint's envelope, header values stay under 8 KiB, and no configured
// secret appears anywhere; at the end the in-flight gauges read 0.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  applyMutation,
  authHeaders,
  malformedBody,
  mutation,
  oddHeaders,
  SEED,
  toJsonText,
  validBody,
  withinHeaderBudget,
} from "./arbitraries.ts";
import {
  type Answer,
  expectGaugesAtZero,
  expectNoSecretInLogs,
  expectSoundAnswer,
  type FuzzGateway,
  GENERATION_ENDPOINTS,
  SECRETS,
  startFuzzGateway,
} from "./fuzz-gateway.ts";

const MASTER = { authorization: `Bearer ${SECRETS.masterKey}` };

let fz: FuzzGateway;
const answers: Answer[] = [];

beforeAll(async () => {
  fz = await startFuzzGateway();
});
afterAll(() => fz.stop());

const endpoint = fc.constantFrom(...GENERATION_ENDPOINTS);

async function post(
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
): Promise<Answer> {
  const answer = await fz.send({
    method: "POST",
    path,
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  answers.push(answer);
  return answer;
}

describe("generation endpoints under fuzz", () => {
  test("valid requests of each protocol", async () => {
    const before = answers.length;
    await fc.assert(
      fc.asyncProperty(
        endpoint.chain((e) => fc.tuple(fc.constant(e), validBody(e.body!))),
        authHeaders,
        async ([e, body], auth) => {
          expectSoundAnswer(await post(e.path, toJsonText(body), auth), e);
        },
      ),
      { seed: SEED, numRuns: 160 },
    );
    // The fuzz must reach the upstream, not only bounce off validation.
    const ok = answers.slice(before).filter((a) => a.status === 200).length;
    expect(ok).toBeGreaterThan(50);
  });

  test("mutated requests: wrong types, huge numbers, deep nesting, odd names, floods of unknown fields", async () => {
    await fc.assert(
      fc.asyncProperty(
        endpoint.chain((e) => fc.tuple(fc.constant(e), validBody(e.body!))),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async ([e, body], mutations) => {
          const mutated = mutations.reduce(applyMutation, body);
          expectSoundAnswer(await post(e.path, toJsonText(mutated), MASTER), e);
        },
      ),
      { seed: SEED, numRuns: 260 },
    );
  });

  test("malformed JSON", async () => {
    await fc.assert(
      fc.asyncProperty(
        endpoint.chain((e) => fc.tuple(fc.constant(e), malformedBody(e.body!))),
        async ([e, body]) => {
          expectSoundAnswer(await post(e.path, body, MASTER), e);
        },
      ),
      { seed: SEED, numRuns: 120 },
    );
  });

  test("odd header values", async () => {
    await fc.assert(
      fc.asyncProperty(
        endpoint.chain((e) => fc.tuple(fc.constant(e), validBody(e.body!))),
        authHeaders,
        oddHeaders,
        async ([e, body], auth, headers) => {
          const all = { ...headers, ...auth };
          fc.pre(withinHeaderBudget(all));
          expectSoundAnswer(await post(e.path, toJsonText(body), all), e);
        },
      ),
      { seed: SEED, numRuns: 160 },
    );
  });

  test("afterwards: gauges at 0, no secret in any log line, the gateway still answers", async () => {
    await expectGaugesAtZero(fz);
    expectNoSecretInLogs(fz);
    const health = await fetch(`${fz.gw.url}/health`);
    expect(health.status).toBe(200);
  });
});
