/**
 * POST /v1/embeddings translated to the clouds, through the real gateway with the official openai
 * SDK: Vertex AI `:predict` (OAuth token from the loopback token endpoint; batches by model) and
 * Bedrock InvokeModel (SigV4-verified; Titan one text a call, Cohere up to 96), vectors in input
 * order, usage from the answers, base64 by the gateway, 400s in OpenAI's envelope, usage rows.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { fromBase64Float32 } from "../../../src/protocols/embeddings/encode-embedding.ts";
import { SqliteUsageStore } from "../../../src/usage/sqlite-store.ts";
import { resetGates } from "../../support/clouds/cloud-gateway.ts";
import { type MockBedrock, startMockBedrock, TEST_AWS_ACCOUNT } from "../../support/clouds/mock-bedrock.ts";
import { type MockVertex, startMockVertex } from "../../support/clouds/mock-vertex.ts";
import { jsonOf, startTestGateway, type TestGateway } from "../../support/gateway.ts";
import { mockVector } from "../../support/mock-echo.ts";
import { type MockUpstream, startMockUpstream } from "../../support/mock-upstream.ts";
import { waitForUsageRow } from "../../support/usage-db.ts";

const ACCOUNT = TEST_AWS_ACCOUNT;
const TITAN = "amazon.titan-embed-text-v2:0";
const COHERE_V3 = "cohere.embed-english-v3";
const COHERE_V4 = "us.cohere.embed-v4:0";

const dir = mkdtempSync(join(tmpdir(), "switchboard-embeddings-clouds-"));
const dbPath = join(dir, "usage.db");

let mock: MockUpstream;
let vertex: MockVertex;
let bedrock: MockBedrock;
let gw: TestGateway;
let openai: OpenAI;
let db: Database;

beforeAll(async () => {
  mock = await startMockUpstream();
  vertex = await startMockVertex(mock);
  bedrock = await startMockBedrock({ upstream: mock, region: "us-east-1", accounts: [ACCOUNT] });
  gw = await startTestGateway({
    yaml: `providers:
  vertex:
    base_url: ${vertex.url}
    location: us-central1
    credentials: \${GOOGLE_APPLICATION_CREDENTIALS}
  bedrock:
    base_url: ${bedrock.url}
    region: us-east-1
routing:
  retries: 0
`,
    env: {
      GOOGLE_APPLICATION_CREDENTIALS: vertex.credentialsFile,
      AWS_ACCESS_KEY_ID: ACCOUNT.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ACCOUNT.secretAccessKey,
      AWS_SESSION_TOKEN: ACCOUNT.sessionToken,
    },
    usageStore: new SqliteUsageStore(dbPath),
  });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "anything", maxRetries: 0 });
  db = new Database(dbPath, { readonly: true });
});

afterAll(async () => {
  db?.close();
  await gw?.stop();
  await bedrock?.stop();
  await vertex?.stop();
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  mock.reset();
  resetGates(vertex, bedrock);
  bedrock.omitTokenCountHeader = false;
});

type Row = Record<string, unknown>;

const rowOf = (requestId: string): Promise<Row> => waitForUsageRow(gw, db, requestId);

const post = (body: unknown) =>
  fetch(`${gw.url}/v1/embeddings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const decoder = new TextDecoder();
const bodiesOf = (cloud: MockVertex | MockBedrock) =>
  cloud.seen.map((request) => JSON.parse(decoder.decode(request.body)) as Record<string, unknown>);
/** What a float32 round trip (base64) makes of a vector. */
const asFloat32 = (vector: number[]) => Array.from(new Float32Array(vector));
/** The mock clouds' token count: ceil(characters / 3). */
const cloudTokens = (texts: string[]) => texts.reduce((sum, text) => sum + Math.ceil(text.length / 3), 0);

const PREDICT_PATH = "/v1/projects/test-project/locations/us-central1/publishers/google/models";

describe("Vertex AI: :predict", () => {
  test("text-embedding-005: instances and outputDimensionality, the OAuth token, token counts, usage row", async () => {
    const inputs = ["first text", "second one, longer"];
    const { data, response } = await openai.embeddings
      .create({ model: "vertex/text-embedding-005", input: inputs, dimensions: 4, encoding_format: "float" })
      .withResponse();
    expect(data).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: mockVector(inputs[0], 4) },
        { object: "embedding", index: 1, embedding: mockVector(inputs[1], 4) },
      ],
      model: "vertex/text-embedding-005",
      usage: { prompt_tokens: cloudTokens(inputs), total_tokens: cloudTokens(inputs) },
    });
    expect(response.headers.get("x-switchboard-estimated")).toBeNull();
    expect(response.headers.get("x-switchboard-provider")).toBe("vertex");

    expect(vertex.seen).toHaveLength(1);
    expect(vertex.seen[0]!.url.pathname).toBe(`${PREDICT_PATH}/text-embedding-005:predict`);
    expect(vertex.seen[0]!.headers.get("authorization")).toStartWith("Bearer ya29.test-");
    expect(bodiesOf(vertex)).toEqual([
      {
        instances: [{ content: inputs[0] }, { content: inputs[1] }],
        parameters: { outputDimensionality: 4 },
      },
    ]);
    expect(vertex.rejections).toHaveLength(0);

    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      endpoint: "embeddings",
      model_requested: "vertex/text-embedding-005",
      provider: "vertex",
      model: "text-embedding-005",
      status: 200,
      input_tokens: cloudTokens(inputs),
      output_tokens: 0,
    });
  });

  test("300 inputs to text-embedding-005: two calls (250 + 50), one answer in input order", async () => {
    const inputs = Array.from({ length: 300 }, (_, i) => `text ${"x".repeat(i % 17)} ${i}`);
    const created = await openai.embeddings.create({
      model: "vertex/text-embedding-005",
      input: inputs,
      encoding_format: "float",
    });
    const instances = bodiesOf(vertex).map((body) => body.instances as Array<{ content: string }>);
    expect(instances.map((batch) => batch.length)).toEqual([250, 50]);
    expect(instances.flat().map((instance) => instance.content)).toEqual(inputs);
    expect(bodiesOf(vertex)[0]!.parameters).toBeUndefined();
    expect(created.data.map((item) => item.index)).toEqual(inputs.map((_, i) => i));
    expect(created.data.map((item) => item.embedding)).toEqual(inputs.map((text) => mockVector(text, 3)));
    expect(created.usage.prompt_tokens).toBe(cloudTokens(inputs));
  });

  test("gemini-embedding-001 takes one instance a call: 3 inputs, 3 calls; the built-in price", async () => {
    const inputs = ["alpha", "beta beta", "gamma gamma gamma"];
    const { data, response } = await openai.embeddings
      .create({ model: "vertex/gemini-embedding-001", input: inputs, encoding_format: "float" })
      .withResponse();
    expect(bodiesOf(vertex)).toEqual(inputs.map((content) => ({ instances: [{ content }] })));
    expect(vertex.seen.map((request) => request.url.pathname)).toEqual(
      inputs.map(() => `${PREDICT_PATH}/gemini-embedding-001:predict`),
    );
    expect(data.data.map((item) => item.embedding)).toEqual(inputs.map((text) => mockVector(text, 3)));
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row.input_tokens).toBe(cloudTokens(inputs));
    expect(row.cost_usd).toBeCloseTo((cloudTokens(inputs) * 0.15) / 1e6, 12);
  });

  test("base64: the gateway's float32 bytes decode to the float answer; the SDK's default decodes too", async () => {
    const input = ["one", "two two"];
    const floats = await jsonOf(
      await post({ model: "vertex/text-embedding-005", input, dimensions: 5, encoding_format: "float" }),
    );
    const raw = await jsonOf(
      await post({ model: "vertex/text-embedding-005", input, dimensions: 5, encoding_format: "base64" }),
    );
    expect(raw.data.map((item: { embedding: string }) => fromBase64Float32(item.embedding))).toEqual(
      floats.data.map((item: { embedding: number[] }) => asFloat32(item.embedding)),
    );
    expect(raw.usage).toEqual(floats.usage);

    const viaSdk = await openai.embeddings.create({
      model: "vertex/text-embedding-005",
      input: "sdk default",
    });
    expect(viaSdk.data[0]!.embedding).toEqual(asFloat32(mockVector("sdk default", 3)));
  });

  test("token ids: a 400 in OpenAI's envelope naming input, nothing sent", async () => {
    const response = await post({ model: "vertex/text-embedding-005", input: [[1, 2, 3]] });
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.error).toMatchObject({
      type: "invalid_request_error",
      param: "input",
      code: "unsupported_input",
    });
    expect(body.error.message).toContain("'vertex'");
    expect(vertex.seen).toHaveLength(0);
  });
});

describe("Bedrock: InvokeModel", () => {
  test("Titan v2: 3 inputs are 3 SigV4-signed calls, vectors in input order, inputTextTokenCount summed", async () => {
    const inputs = ["the first", "a second text", "third"];
    const { data, response } = await openai.embeddings
      .create({ model: `bedrock/${TITAN}`, input: inputs, dimensions: 256, encoding_format: "float" })
      .withResponse();
    expect(data.data.map((item) => item.embedding)).toEqual(inputs.map((text) => mockVector(text, 256)));
    expect(data.data.map((item) => item.index)).toEqual([0, 1, 2]);
    expect(data.usage).toEqual({ prompt_tokens: cloudTokens(inputs), total_tokens: cloudTokens(inputs) });
    expect(response.headers.get("x-switchboard-estimated")).toBeNull();

    expect(bedrock.seen).toHaveLength(3);
    expect(bedrock.rejections).toHaveLength(0);
    for (const seen of bedrock.seen) {
      expect(seen.url.pathname).toBe(`/model/${encodeURIComponent(TITAN)}/invoke`);
      expect(seen.headers.get("authorization")).toStartWith(
        `AWS4-HMAC-SHA256 Credential=${ACCOUNT.accessKeyId}/`,
      );
      expect(seen.headers.get("x-amz-security-token")).toBe(ACCOUNT.sessionToken);
    }
    expect(bodiesOf(bedrock)).toEqual(inputs.map((inputText) => ({ inputText, dimensions: 256 })));

    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      endpoint: "embeddings",
      model_requested: `bedrock/${TITAN}`,
      provider: "bedrock",
      model: TITAN,
      status: 200,
      input_tokens: cloudTokens(inputs),
    });
  });

  test("Titan through the SDK's default base64: 1024 floats decoded by the SDK", async () => {
    const created = await openai.embeddings.create({ model: `bedrock/${TITAN}`, input: "hello titan" });
    expect(created.data[0]!.embedding).toEqual(asFloat32(mockVector("hello titan", 1024)));
    expect(bodiesOf(bedrock)).toEqual([{ inputText: "hello titan" }]);
  });

  test("Cohere v4 (inference profile): texts, search_document, float by type, output_dimension; tokens from the header", async () => {
    const inputs = ["doc one", "doc number two"];
    const { data, response } = await openai.embeddings
      .create({ model: `bedrock/${COHERE_V4}`, input: inputs, dimensions: 256, encoding_format: "float" })
      .withResponse();
    expect(bedrock.seen[0]!.url.pathname).toBe(`/model/${encodeURIComponent(COHERE_V4)}/invoke`);
    expect(bodiesOf(bedrock)).toEqual([
      { texts: inputs, input_type: "search_document", embedding_types: ["float"], output_dimension: 256 },
    ]);
    expect(data.data.map((item) => item.embedding)).toEqual(inputs.map((text) => mockVector(text, 256)));
    expect(data.usage.prompt_tokens).toBe(cloudTokens(inputs));
    expect(response.headers.get("x-switchboard-estimated")).toBeNull();
    expect(bedrock.rejections).toHaveLength(0);
  });

  test("Cohere v3: 100 inputs are 2 calls (96 + 4); input_type from provider_options; no token header → estimated", async () => {
    bedrock.omitTokenCountHeader = true;
    const inputs = Array.from({ length: 100 }, (_, i) => `query ${i} ${"y".repeat(i % 9)}`);
    const params = {
      model: `bedrock/${COHERE_V3}`,
      input: inputs,
      encoding_format: "float",
      provider_options: { bedrock: { input_type: "search_query" } },
    };
    const { data, response } = await openai.embeddings
      .create(params as OpenAI.EmbeddingCreateParams)
      .withResponse();
    const bodies = bodiesOf(bedrock);
    expect(bodies.map((body) => (body.texts as string[]).length)).toEqual([96, 4]);
    expect(bodies.flatMap((body) => body.texts as string[])).toEqual(inputs);
    expect(bodies.map((body) => body.input_type)).toEqual(["search_query", "search_query"]);
    expect(bodies[0]!.embedding_types).toBeUndefined();
    expect(data.data).toHaveLength(100);
    expect(data.data[97]!.embedding).toEqual(mockVector(inputs[97], 1024));
    expect(data.data[97]!.index).toBe(97);
    const estimate = inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    expect(data.usage.prompt_tokens).toBe(estimate);
    expect(response.headers.get("x-switchboard-estimated")).toBe("true");
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ provider: "bedrock", model: COHERE_V3, input_tokens: estimate, status: 200 });
  });

  test("base64 of a Cohere answer decodes to the float answer", async () => {
    const input = ["same text", "another"];
    const floats = await jsonOf(
      await post({ model: `bedrock/${COHERE_V3}`, input, encoding_format: "float" }),
    );
    const raw = await jsonOf(await post({ model: `bedrock/${COHERE_V3}`, input, encoding_format: "base64" }));
    expect(raw.data.map((item: { embedding: string }) => fromBase64Float32(item.embedding))).toEqual(
      floats.data.map((item: { embedding: number[] }) => asFloat32(item.embedding)),
    );
  });

  test("a Bedrock model that is not an embedding model the gateway speaks: 400 naming it, nothing sent", async () => {
    const error = await openai.embeddings
      .create({ model: "bedrock/amazon.nova-pro-v1:0", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.code).toBe("embeddings_not_supported");
    expect(bad.param).toBe("model");
    expect(bad.message).toContain("'amazon.nova-pro-v1:0'");
    expect(bedrock.seen).toHaveLength(0);
  });

  test("token ids, and dimensions on a fixed-size model: 400s naming the field, nothing sent", async () => {
    const ids = await post({ model: `bedrock/${TITAN}`, input: [5, 6, 7] });
    expect(ids.status).toBe(400);
    expect((await jsonOf(ids)).error).toMatchObject({ param: "input", type: "invalid_request_error" });
    const dims = await post({ model: `bedrock/${COHERE_V3}`, input: "x", dimensions: 256 });
    expect(dims.status).toBe(400);
    expect((await jsonOf(dims)).error.param).toBe("dimensions");
    expect(bedrock.seen).toHaveLength(0);
  });

  test("an upstream ValidationException comes back as a 400 in OpenAI's envelope", async () => {
    // Titan v2 takes 256, 512 or 1024 dimensions; the gateway leaves that check to Bedrock.
    const response = await post({ model: `bedrock/${TITAN}`, input: "x", dimensions: 100 });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.message).toContain("dimensions");
    expect(bedrock.seen).toHaveLength(1);
  });
});
