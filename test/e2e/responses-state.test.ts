// previous_response_id and store on providers that keep no state: the gateway keeps translated
// answers (input items and output) in its store, for the key that created them.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;
let noStore: TestGateway;
let alice: OpenAI;
let bob: OpenAI;

const auth = `auth:
  keys:
    - { name: alice, key: sk-alice }
    - { name: bob, key: sk-bob }
`;

beforeAll(async () => {
  mock = await startMockUpstream();
  const yaml = `${auth}${providersYaml(
    mock,
    `  resp:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: sk-resp
    responses: true
`,
  )}`;
  gw = await startTestGateway({ yaml, usageStore: new SqliteUsageStore(":memory:") });
  noStore = await startTestGateway({ yaml, usageStore: null });
  alice = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-alice", maxRetries: 0 });
  bob = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-bob", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await noStore.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

/** The body the mock received in its `index`-th request (the test fails clearly when there is none). */
function bodyOf(index: number): unknown {
  const request = mock.requests[index];
  if (!request) throw new Error(`the upstream received no request #${index}`);
  return request.body;
}

/** The roles and texts of the messages an Anthropic upstream received. */
const conversationSent = (index: number) =>
  (bodyOf(index) as { messages: Array<{ role: string; content: unknown }> }).messages.map((message) => [
    message.role,
    typeof message.content === "string"
      ? message.content
      : (message.content as Array<{ text?: string }>).map((part) => part.text ?? "").join(""),
  ]);

describe("previous_response_id on a translated provider", () => {
  test("the earlier turns are prepended to the input, whatever provider answers next", async () => {
    const first = await alice.responses.create({ model: "anthropic/claude-sonnet-4-5", input: "first" });
    expect(first.output_text).toBe("echo: first");
    const second = await alice.responses.create({
      model: "anthropic/claude-sonnet-4-5",
      input: "second",
      previous_response_id: first.id,
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(conversationSent(1)).toEqual([
      ["user", "first"],
      ["assistant", "echo: first"],
      ["user", "second"],
    ]);
    // A chain: the third turn sees both earlier ones, here on another provider type (Gemini).
    await alice.responses.create({
      model: "gemini/gemini-2.5-flash",
      input: [{ role: "user", content: "third" }],
      previous_response_id: second.id,
    });
    const contents = (bodyOf(2) as { contents: Array<{ role: string; parts: Array<{ text: string }> }> })
      .contents;
    expect(contents.map((content) => content.parts.map((part) => part.text).join(""))).toEqual([
      "first",
      "echo: first",
      "second",
      "echo: second",
      "third",
    ]);
  });

  test("a streamed answer is kept too", async () => {
    const stream = alice.responses.stream({ model: "openai/gpt-4o-mini", input: "streamed" });
    const first = await stream.finalResponse();
    await alice.responses.create({
      model: "openai/gpt-4o-mini",
      input: "next",
      previous_response_id: first.id,
    });
    const messages = (bodyOf(1) as { messages: Array<{ role: string; content: unknown }> }).messages;
    expect(messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
  });

  test("store: false keeps nothing: the follow-up is a 400 that says so", async () => {
    const first = await alice.responses.create({
      model: "anthropic/claude-sonnet-4-5",
      input: "x",
      store: false,
    });
    const error = await alice.responses
      .create({ model: "anthropic/claude-sonnet-4-5", input: "y", previous_response_id: first.id })
      .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("previous_response_not_found");
    expect(mock.requests.length).toBe(1);
  });

  test("another key's response is unknown to this key", async () => {
    const first = await alice.responses.create({ model: "anthropic/claude-sonnet-4-5", input: "mine" });
    const error = (await bob.responses
      .create({ model: "anthropic/claude-sonnet-4-5", input: "y", previous_response_id: first.id })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect((await bob.responses.retrieve(first.id).catch((e: unknown) => e)) as object).toHaveProperty(
      "status",
      404,
    );
  });

  test("with the store off, previous_response_id is a 400 that says why", async () => {
    const response = await fetch(`${noStore.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-alice" },
      body: JSON.stringify({
        model: "anthropic/claude-sonnet-4-5",
        input: "y",
        previous_response_id: "resp_x",
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; param: string } };
    expect(body.error.code).toBe("response_store_off");
    expect(body.error.param).toBe("previous_response_id");
    expect(body.error.message).toContain("usage.store is off");
  });

  test("an id the gateway does not know goes through to a Responses upstream, which keeps its own state", async () => {
    await alice.responses.create({
      model: "resp/gpt-5.4-pro",
      input: "hi",
      previous_response_id: "resp_upstream_1",
    });
    expect((bodyOf(0) as Record<string, unknown>).previous_response_id).toBe("resp_upstream_1");
  });
});

describe("GET and DELETE /v1/responses/{id}", () => {
  test("retrieve, list input items, delete; then it is gone", async () => {
    const created = await alice.responses.create({ model: "anthropic/claude-sonnet-4-5", input: "keep me" });
    const retrieved = await alice.responses.retrieve(created.id);
    expect(retrieved.id).toBe(created.id);
    expect(retrieved.output_text).toBe("echo: keep me");
    const items = await alice.responses.inputItems.list(created.id);
    expect(items.data.map((item) => (item as { role?: string }).role)).toEqual(["user"]);
    await alice.responses.delete(created.id);
    const gone = (await alice.responses.retrieve(created.id).catch((e: unknown) => e)) as InstanceType<
      typeof OpenAI.APIError
    >;
    expect(gone.status).toBe(404);
    expect(gone.code).toBe("response_not_found");
  });
});
