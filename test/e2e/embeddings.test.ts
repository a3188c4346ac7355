// POST /v1/embeddings through the real gateway with the official openai SDK: the zero-copy pipe
// to an OpenAI-compatible provider, Gemini translated (batchEmbedContents, base64 by the gateway),
// Anthropic refused by name, usage rows, metrics and errors in OpenAI's envelope.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { fromBase64Float32 } from "../../src/protocols/embeddings/encode-embedding.ts";
import { GEMINI_EMBED_BATCH } from "../../src/protocols/embeddings/gemini-embeddings.ts";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { jsonOf, providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { mockVector } from "../support/mock-echo.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { waitForUsageRow } from "../support/usage-db.ts";

const MASTER = "master-secret-embed";
const TEAM_KEY = "sk-team-embed";
const dir = mkdtempSync(join(tmpdir(), "switchboard-embeddings-e2e-"));
const dbPath = join(dir, "usage.db");

let mock: MockUpstream;
let gw: TestGateway;
let openai: OpenAI;
let team: OpenAI;
let db: Database;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}
auth:
  master_key: ${MASTER}
  keys:
    - name: team
      key: ${TEAM_KEY}
      models: ["openai/*"]
models:
  embed-small: openai/text-embedding-3-small
  embed-any: [anthropic/claude-sonnet-4-5, gemini/gemini-embedding-001]
`,
    usageStore: new SqliteUsageStore(dbPath),
  });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: MASTER, maxRetries: 0 });
  team = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: TEAM_KEY, maxRetries: 0 });
  db = new Database(dbPath, { readonly: true });
});

afterAll(async () => {
  db?.close();
  await gw?.stop();
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => mock.reset());

type Row = Record<string, unknown>;

const rowOf = (requestId: string): Promise<Row> => waitForUsageRow(gw, db, requestId);

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/embeddings`, {
    method: "POST",
    headers: { authorization: `Bearer ${MASTER}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("OpenAI-compatible provider: the zero-copy pipe", () => {
  test("float vectors, the gateway's credentials upstream, usage and cost in the row", async () => {
    const { data, response } = await openai.embeddings
      .create({
        model: "openai/text-embedding-3-small",
        input: ["hello", "hi"],
        encoding_format: "float",
      })
      .withResponse();
    expect(data.data.map((item) => item.embedding)).toEqual([mockVector("hello", 3), mockVector("hi", 3)]);
    expect(data.usage.prompt_tokens).toBe(3);
    expect(response.headers.get("x-switchboard-provider")).toBe("openai");
    expect(response.headers.get("x-switchboard-model")).toBe("text-embedding-3-small");

    const upstream = mock.requests[0]!;
    expect(upstream.path).toBe("/v1/embeddings");
    expect(upstream.headers.authorization).toBe("Bearer sk-openai-test");
    expect(JSON.stringify(upstream.headers)).not.toContain(MASTER);
    expect(upstream.body).toEqual({
      model: "text-embedding-3-small",
      input: ["hello", "hi"],
      encoding_format: "float",
    });

    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      endpoint: "embeddings",
      key_name: "master",
      model_requested: "openai/text-embedding-3-small",
      provider: "openai",
      model: "text-embedding-3-small",
      status: 200,
      input_tokens: 3,
      output_tokens: 0,
    });
    expect(row.cost_usd).toBeCloseTo((3 * 0.02) / 1e6, 12);
  });

  test("the SDK's default base64 is the provider's, decoded by the SDK; unknown fields forwarded", async () => {
    // A field the gateway does not know travels on.
    const params = {
      model: "embed-small",
      input: "a longer text",
      dimensions: 5,
      extra_field: { kept: true },
    };
    const created = await openai.embeddings.create(params as OpenAI.EmbeddingCreateParams);
    expect(created.data[0]!.embedding).toEqual(mockVector("a longer text", 5));
    const body = mock.requests[0]!.body as Record<string, unknown>;
    expect(body.encoding_format).toBe("base64");
    expect(body.extra_field).toEqual({ kept: true });
    expect(body.model).toBe("text-embedding-3-small");
  });

  test("the body goes up byte for byte when nothing changes, and the answer comes back as sent", async () => {
    // A bare id the provider lists: the upstream model is the requested one, no field changes.
    const text = '{"input":  "spaced",   "model":"gpt-4o-mini", "encoding_format":"float"}';
    const response = await post(text);
    expect(response.status).toBe(200);
    expect(mock.requests[0]!.bodyText).toBe(text);
    const answer = await response.text();
    expect(JSON.parse(answer).data[0].embedding).toEqual(mockVector("spaced", 3));
  });

  test("token-id input goes to an OpenAI-compatible provider as is", async () => {
    const created = await openai.embeddings.create({
      model: "openai/text-embedding-3-small",
      input: [[1, 2, 3], [4]],
      encoding_format: "float",
    });
    expect(created.data).toHaveLength(2);
    expect((mock.requests[0]!.body as { input: unknown }).input).toEqual([[1, 2, 3], [4]]);
  });

  test("an upstream error keeps its status and message in OpenAI's envelope", async () => {
    mock.enqueue({ error: { status: 400, message: "input too long for this model" } });
    const error = await openai.embeddings
      .create({ model: "openai/text-embedding-3-small", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(
      "input too long for this model",
    );
  });
});

describe("Gemini: translated to batchEmbedContents", () => {
  test("float: outputDimensionality, the Gemini key, vectors in input order, estimated usage", async () => {
    const { data, response } = await openai.embeddings
      .create({
        model: "gemini/gemini-embedding-001",
        input: ["first text", "second"],
        dimensions: 4,
        encoding_format: "float",
      })
      .withResponse();
    expect(data.object).toBe("list");
    expect(data.model).toBe("gemini/gemini-embedding-001");
    expect(data.data.map((item) => item.index)).toEqual([0, 1]);
    expect(data.data.map((item) => item.embedding)).toEqual([
      mockVector("first text", 4),
      mockVector("second", 4),
    ]);
    expect(response.headers.get("x-switchboard-estimated")).toBe("true");
    expect(data.usage).toEqual({ prompt_tokens: 3 + 2, total_tokens: 3 + 2 });

    const upstream = mock.requests[0]!;
    expect(upstream.path).toBe("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    expect(upstream.headers["x-goog-api-key"]).toBe("gm-test");
    expect(upstream.headers.authorization).toBeUndefined();
    expect(upstream.body).toEqual({
      requests: [
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "first text" }] },
          outputDimensionality: 4,
        },
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "second" }] },
          outputDimensionality: 4,
        },
      ],
    });

    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ endpoint: "embeddings", provider: "gemini", input_tokens: 5, status: 200 });
    expect(row.cost_usd).toBeCloseTo((5 * 0.15) / 1e6, 12);
  });

  test("base64 is encoded by the gateway (little-endian float32) and decoded by the SDK", async () => {
    const created = await openai.embeddings.create({ model: "gemini/gemini-embedding-001", input: "abc" });
    expect(created.data[0]!.embedding).toEqual(mockVector("abc", 3));
    expect((mock.requests[0]!.body as Record<string, unknown>).encoding_format).toBeUndefined();

    const raw = await jsonOf(
      await post({ model: "gemini/gemini-embedding-001", input: "abcd", encoding_format: "base64" }),
    );
    expect(typeof raw.data[0].embedding).toBe("string");
    expect(fromBase64Float32(raw.data[0].embedding)).toEqual(mockVector("abcd", 3));
  });

  test("more inputs than one batch: several calls, one answer in input order", async () => {
    const inputs = Array.from({ length: GEMINI_EMBED_BATCH + 20 }, (_, i) => "x".repeat(i + 1));
    const created = await openai.embeddings.create({
      model: "gemini/gemini-embedding-001",
      input: inputs,
      encoding_format: "float",
    });
    expect(mock.requests).toHaveLength(2);
    expect((mock.requests[1]!.body as { requests: unknown[] }).requests).toHaveLength(20);
    expect(created.data).toHaveLength(inputs.length);
    expect(created.data[GEMINI_EMBED_BATCH + 5]!.embedding).toEqual(
      mockVector(inputs[GEMINI_EMBED_BATCH + 5], 3),
    );
    expect(created.data[GEMINI_EMBED_BATCH + 5]!.index).toBe(GEMINI_EMBED_BATCH + 5);
  });

  test("token ids cannot go to Gemini: 400 naming input", async () => {
    const response = await post({ model: "gemini/gemini-embedding-001", input: [1, 2, 3] });
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.error.param).toBe("input");
    expect(body.error.message).toContain("gemini");
    expect(mock.requests).toHaveLength(0);
  });

  test("an answer without vectors is the provider's failure: retried, then 502, never a gateway 500", async () => {
    mock.enqueue({ json: { unexpected: true } });
    const retried = await post({
      model: "gemini/gemini-embedding-001",
      input: "x",
      encoding_format: "float",
    });
    expect(retried.status).toBe(200);
    expect(mock.requests).toHaveLength(2);

    mock.setDefault({ json: { unexpected: true } });
    const response = await post({ model: "gemini/gemini-embedding-001", input: "x" });
    expect(response.status).toBe(502);
    expect((await jsonOf(response)).error.message).toContain("'gemini'");
  });

  test("a Gemini upstream error comes back in OpenAI's envelope", async () => {
    mock.enqueue({ error: { status: 404, message: "models/nope is not found" } });
    const response = await post({ model: "gemini/nope", input: "x" });
    expect(response.status).toBe(404);
    const body = await jsonOf(response);
    expect(body.error.message).toContain("models/nope is not found");
  });
});

describe("providers without embeddings, and the gateway's own checks", () => {
  test("an Anthropic-type provider: 400 naming the model, nothing sent", async () => {
    const error = await openai.embeddings
      .create({ model: "anthropic/claude-sonnet-4-5", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.message).toContain("'anthropic/claude-sonnet-4-5'");
    expect(bad.message).toContain("provider 'anthropic'");
    expect(bad.code).toBe("embeddings_not_supported");
    expect(mock.requests).toHaveLength(0);
  });

  test("an alias whose first target cannot embed is served by the next one that can", async () => {
    const { response } = await openai.embeddings
      .create({ model: "embed-any", input: "x", encoding_format: "float" })
      .withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("gemini");
  });

  test("schema violations are 400s naming the field", async () => {
    const missing = await jsonOf(await post({ model: "openai/text-embedding-3-small" }));
    expect(missing.error.param).toBe("input");
    const format = await post({
      model: "openai/text-embedding-3-small",
      input: "x",
      encoding_format: "int8",
    });
    expect(format.status).toBe(400);
    expect((await jsonOf(format)).error.param).toBe("encoding_format");
    const dims = await jsonOf(
      await post({ model: "openai/text-embedding-3-small", input: "x", dimensions: 0 }),
    );
    expect(dims.error.param).toBe("dimensions");
    expect((await post("{not json")).status).toBe(400);
    // OpenAI's limit of 2,048 inputs a request; it also bounds a translated request's calls.
    const many = await post({ model: "openai/text-embedding-3-small", input: Array(2049).fill("a") });
    expect(many.status).toBe(400);
    const manyError = (await jsonOf(many)).error;
    expect(manyError.param).toBe("input");
    expect(manyError.message).toContain("2048");
    expect(mock.requests).toHaveLength(0);
  });

  test("auth and the key's allow-list apply (401, 403), routing controls too", async () => {
    const anonymous = await fetch(`${gw.url}/v1/embeddings`, {
      method: "POST",
      body: JSON.stringify({ model: "openai/text-embedding-3-small", input: "x" }),
    });
    expect(anonymous.status).toBe(401);
    expect((await jsonOf(anonymous)).error.type).toBe("authentication_error");

    const denied = await team.embeddings
      .create({ model: "gemini/gemini-embedding-001", input: "x" })
      .catch((e) => e);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);

    const allowed = await team.embeddings.create({
      model: "openai/text-embedding-3-small",
      input: "x",
      encoding_format: "float",
    });
    expect(allowed.data).toHaveLength(1);

    const unknownProvider = await post({
      model: "openai/text-embedding-3-small",
      input: "x",
      provider: "nowhere",
    });
    expect(unknownProvider.status).toBe(400);
    expect(mock.requests).toHaveLength(1);
  });

  test("metrics count embeddings under their own endpoint label", async () => {
    await openai.embeddings.create({ model: "openai/text-embedding-3-small", input: "x" });
    const metrics = await (
      await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })
    ).text();
    expect(metrics).toMatch(/switchboard_requests_total\{[^}]*endpoint="embeddings"/);
  });
});
