// Property-based fuzzing of the non-generation endpoints through the real gateway: model lists,
// /v1/usage with any query, stored responses by any id, routes that do not exist, and bodies or
// methods they do not expect. Same promises as for generation: no 5xx, the envelope, headers
// within 8 KiB, no configured secret; gauges back to 0.
import { afterAll, beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import { authHeaders, oddHeaders, SEED, withinHeaderBudget } from "./arbitraries.ts";
import {
  type Endpoint,
  expectGaugesAtZero,
  expectNoSecretInLogs,
  expectSoundAnswer,
  type FuzzGateway,
  OTHER_ENDPOINTS,
  startFuzzGateway,
} from "./fuzz-gateway.ts";

let fz: FuzzGateway;
beforeAll(async () => {
  fz = await startFuzzGateway();
  // A few usage rows and one stored response, so the queries have something to read.
  for (const path of ["/v1/chat/completions", "/v1/responses"]) {
    const body =
      path === "/v1/responses"
        ? { model: "anthropic/claude-sonnet-4-5", input: "hi" }
        : { model: "fast", messages: [{ role: "user", content: "hi" }] };
    await fz.send({
      method: "POST",
      path,
      headers: { "content-type": "application/json", authorization: "Bearer sk-fuzz-master-b7c1d9e0" },
      body: JSON.stringify(body),
    });
  }
});
afterAll(() => fz.stop());

const queryValue = fc.oneof(
  fc.constantFrom("2025-01-01", "2025-01-01T12:00:00Z", "1700000000", "-1", "1e400", "", "2025-13-45", "now"),
  fc.string({ unit: "binary", maxLength: 30 }),
);
const queryName = fc.oneof(fc.constantFrom("from", "to", "group_by", "limit"), fc.string({ maxLength: 10 }));
const groupBy = fc
  .array(
    fc.oneof(fc.constantFrom("key", "model", "provider", "day", "KEY", ""), fc.string({ maxLength: 8 })),
    {
      maxLength: 6,
    },
  )
  .map((parts) => parts.join(","));
const query = fc
  .array(fc.oneof(fc.tuple(queryName, queryValue), fc.tuple(fc.constant("group_by"), groupBy)), {
    maxLength: 5,
  })
  .map((pairs) => {
    const params = new URLSearchParams();
    for (const [name, value] of pairs) params.append(name.toWellFormed(), value.toWellFormed());
    return params.size ? `?${params}` : "";
  });

// Ids as a client could send them in a path segment (percent-encoded), odd ones favoured.
const responseId = fc
  .oneof(
    fc.constantFrom("resp_fuzz", "resp_", "", "..", "%00", `resp_${"a".repeat(3000)}`),
    fc.string({ unit: "binary", maxLength: 40 }),
  )
  .map((id) => encodeURIComponent(id.toWellFormed()) || "x");

const operationalRequest: fc.Arbitrary<{ endpoint: Endpoint; path: string }> = fc.oneof(
  fc.constantFrom(...OTHER_ENDPOINTS).map((endpoint) => ({ endpoint, path: endpoint.path })),
  query.map((q) => ({
    endpoint: OTHER_ENDPOINTS.find((e) => e.path === "/v1/usage")!,
    path: `/v1/usage${q}`,
  })),
  fc
    .tuple(
      fc.constantFrom("/v1/responses/", "/openai/v1/responses/"),
      responseId,
      fc.constantFrom("", "/input_items"),
    )
    .map(([prefix, id, suffix]) => ({
      endpoint: { method: "GET", path: "", envelope: "openai" } as Endpoint,
      path: `${prefix}${id}${suffix}`,
    })),
  // Routes that do not exist: the envelope of the API family the path names.
  fc
    .tuple(
      fc.constantFrom("/v1/", "/openai/v1/", "/anthropic/v1/", "/v2/", "/", "/v1/messages/"),
      fc.string({ unit: "grapheme-ascii", maxLength: 20 }),
    )
    .map(([prefix, rest]) => {
      const path = `${prefix}${encodeURIComponent(rest)}x`;
      const envelope =
        path.startsWith("/anthropic/") || path.startsWith("/v1/messages") ? "anthropic" : "openai";
      return { endpoint: { method: "GET", path, envelope } as Endpoint, path };
    }),
);

test("operational endpoints, stored responses and unknown routes under fuzz", async () => {
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(
      operationalRequest,
      fc.constantFrom("GET", "GET", "GET", "POST", "DELETE", "PUT", "PATCH"),
      authHeaders,
      oddHeaders,
      fc.option(fc.constantFrom("{}", "not json", "x".repeat(5000)), { nil: undefined }),
      async ({ endpoint, path }, method, auth, headers, body) => {
        const all = { ...headers, ...auth };
        fc.pre(withinHeaderBudget(all));
        const answer = await fz.send({ method, path, headers: all, body });
        // GET /v1/models speaks Anthropic (list and errors) to a client that sends anthropic-version.
        const anthropicList = path === "/v1/models" && method === "GET" && "anthropic-version" in all;
        expectSoundAnswer(answer, { ...endpoint, envelope: anthropicList ? "anthropic" : endpoint.envelope });
        answered++;
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
  expect(answered).toBeGreaterThan(250);
});

test("afterwards: gauges at 0 and no secret in any log line", async () => {
  await expectGaugesAtZero(fz);
  expectNoSecretInLogs(fz);
});
