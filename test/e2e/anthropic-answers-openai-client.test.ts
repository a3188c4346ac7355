/**
 * What an Anthropic answer holds that Chat Completions has no field for, as the official OpenAI
 * SDK receives it through the real gateway: server-tool blocks (documented text in place),
 * citations (`message.annotations`), and a paused turn (`native_finish_reason: "pause_turn"`,
 * continued by sending the assistant message back). Recorded answers where they exist.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { anthropicMessage } from "../support/wire-builders.ts";

let mock: MockUpstream;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: providersYaml(mock) });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const MODEL = "anthropic/claude-sonnet-4-5";
const WEB_SEARCH = "anthropic/sdkpy-cassette-tools-web-search-server-tool.json";
const ACCUWEATHER = "https://www.accuweather.com/en/us/san-francisco/94103/weather-forecast/347629";
type Json = Record<string, unknown>;
const event = (data: Json) => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
const messageStart = event({
  type: "message_start",
  message: {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 20, output_tokens: 1 },
  },
});

describe("server-tool blocks reach the OpenAI client as documented text", () => {
  test("recorded web search answer (JSON): the call and the results' titles and URLs, then the answer", async () => {
    mock.enqueue({ fixture: WEB_SEARCH });
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Weather in San Francisco today?" }],
    });
    const content = completion.choices[0]?.message.content ?? "";
    expect(content).toStartWith(
      `\n[server_tool_use web_search {"query":"San Francisco weather today"}]\n\n[web_search_tool_result] San Francisco, CA Weather Forecast | AccuWeather <${ACCUWEATHER}>; `,
    );
    expect(content).toContain("\nToday in San Francisco, there are showers with breezy and cool conditions");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
  });

  test("recorded stream with server tools and a client tool call: text lines in place, the tool call intact", async () => {
    mock.enqueue({ fixture: "anthropic/sdkpy-server_tool_result_response.txt" });
    const final = await client.chat.completions
      .stream({ model: MODEL, messages: [{ role: "user", content: "go" }] })
      .finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(message?.content).toBe(
      "\n[server_tool_use web_search {}]\n\n[web_search_tool_result] Example Result <https://example.com>\n\n[code_execution_tool_result return_code=0] hello\n",
    );
    expect(message?.tool_calls?.map((c) => [c.id, c.type === "function" && c.function.name])).toEqual([
      ["tu_client_001", "ask_internal_tool"],
    ]);
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
  });
});

describe("citations → message.annotations", () => {
  test("recorded web search answer (JSON): url_citation over each cited text block", async () => {
    mock.enqueue({ fixture: WEB_SEARCH });
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Weather in San Francisco today?" }],
    });
    const message = completion.choices[0]?.message as { content: string; annotations?: Json[] };
    const annotations = message.annotations ?? [];
    expect(annotations.length).toBeGreaterThanOrEqual(2);
    for (const annotation of annotations) {
      expect(annotation.type).toBe("url_citation");
      const { url, title, start_index, end_index } = annotation.url_citation as {
        url: string;
        title: string;
        start_index: number;
        end_index: number;
      };
      expect(url).toStartWith("https://");
      expect(title.length).toBeGreaterThan(0);
      expect(end_index).toBeGreaterThan(start_index);
    }
    const first = annotations[0]?.url_citation as { url: string; start_index: number; end_index: number };
    expect(first.url).toBe(ACCUWEATHER);
    expect(message.content.slice(first.start_index, first.end_index)).toBe(
      "Today in San Francisco, there are showers with breezy and cool conditions, with a high of 52°F.",
    );
  });

  test("stream: citations_delta → one annotations delta the SDK's stream helper keeps on the message", async () => {
    const citation = {
      type: "web_search_result_location",
      url: "https://example.com/rain",
      title: "Rain",
      cited_text: "rain today",
      encrypted_index: "Eo8B",
    };
    const document = {
      type: "char_location",
      cited_text: "grass is green",
      document_index: 0,
      document_title: "Facts",
      start_char_index: 0,
      end_char_index: 14,
    };
    mock.enqueue({
      sse: [
        messageStart,
        event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
        event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi. " } }),
        event({ type: "content_block_stop", index: 0 }),
        event({
          type: "content_block_start",
          index: 1,
          content_block: { type: "text", text: "", citations: [] },
        }),
        event({ type: "content_block_delta", index: 1, delta: { type: "citations_delta", citation } }),
        event({ type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "It rains." } }),
        event({ type: "content_block_stop", index: 1 }),
        event({
          type: "content_block_start",
          index: 2,
          content_block: { type: "text", text: "", citations: [] },
        }),
        event({
          type: "content_block_delta",
          index: 2,
          delta: { type: "citations_delta", citation: document },
        }),
        event({
          type: "content_block_delta",
          index: 2,
          delta: { type: "text_delta", text: " Grass is green." },
        }),
        event({ type: "content_block_stop", index: 2 }),
        event({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 9 } }),
        event({ type: "message_stop" }),
      ],
    });
    const final = await client.chat.completions
      .stream({ model: MODEL, messages: [{ role: "user", content: "weather?" }] })
      .finalChatCompletion();
    const message = final.choices[0]?.message as unknown as { content: string; annotations: Json[] };
    expect(message.content).toBe("Hi. It rains. Grass is green.");
    expect(message.annotations).toEqual([
      {
        type: "url_citation",
        url_citation: { url: "https://example.com/rain", title: "Rain", start_index: 4, end_index: 13 },
      },
      { type: "document_citation", document_citation: { ...document, start_index: 13, end_index: 29 } },
    ]);
  });
});

describe("pause_turn: a form the OpenAI client can continue", () => {
  const paused = {
    ...anthropicMessage({ content: "x" }),
    content: [
      { type: "text", text: "Let me search for that." },
      {
        type: "server_tool_use",
        id: "srvtoolu_1",
        name: "web_search",
        input: { query: "rust 2024 edition" },
      },
    ],
    stop_reason: "pause_turn",
  };

  test("JSON: finish_reason stop with native_finish_reason pause_turn; the message sent back continues the turn", async () => {
    mock.enqueue({ json: paused }, { json: anthropicMessage({ content: " It shipped in Rust 1.85." }) });
    const messages: ChatCompletionMessageParam[] = [
      { role: "user", content: "When did the 2024 edition ship?" },
    ];
    const first = await client.chat.completions.create({ model: MODEL, messages });
    const choice = first.choices[0] as unknown as { finish_reason: string; native_finish_reason?: string };
    expect(choice.finish_reason).toBe("stop");
    expect(choice.native_finish_reason).toBe("pause_turn");
    const message = first.choices[0]!.message;
    expect(message.content).toBe(
      'Let me search for that.\n[server_tool_use web_search {"query":"rust 2024 edition"}]\n',
    );
    // Continue: the assistant message, as received, is the conversation's last message.
    const second = await client.chat.completions.create({ model: MODEL, messages: [...messages, message] });
    expect(second.choices[0]?.message.content).toBe(" It shipped in Rust 1.85.");
    expect((mock.requests[1]!.body as { messages: unknown[] }).messages).toEqual([
      { role: "user", content: [{ type: "text", text: "When did the 2024 edition ship?" }] },
      {
        role: "assistant",
        content: [
          {
            type: "text",
            text: 'Let me search for that.\n[server_tool_use web_search {"query":"rust 2024 edition"}]',
          },
        ],
      },
    ]);
  });

  test("stream: the finish chunk carries native_finish_reason pause_turn", async () => {
    mock.enqueue({
      sse: [
        messageStart,
        event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
        event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Searching." } }),
        event({ type: "content_block_stop", index: 0 }),
        event({
          type: "content_block_start",
          index: 1,
          content_block: { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: {} },
        }),
        event({
          type: "content_block_delta",
          index: 1,
          delta: { type: "input_json_delta", partial_json: '{"query":"x"}' },
        }),
        event({ type: "content_block_stop", index: 1 }),
        event({ type: "message_delta", delta: { stop_reason: "pause_turn" }, usage: { output_tokens: 9 } }),
        event({ type: "message_stop" }),
      ],
    });
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "search" }],
      stream: true,
    });
    const chunks: Json[] = [];
    for await (const chunk of stream) chunks.push(chunk as unknown as Json);
    const choices = chunks.flatMap((c) => c.choices as Json[]);
    expect(choices.at(-1)).toMatchObject({ finish_reason: "stop", native_finish_reason: "pause_turn" });
    const text = choices.map((c) => (c.delta as { content?: string }).content ?? "").join("");
    expect(text).toBe('Searching.\n[server_tool_use web_search {"query":"x"}]\n');
  });
});
