/**
 * What of an Anthropic answer has no field in other client protocols, decoded into the IR:
 * server-tool blocks (as documented text lines) and citations (kept on the text), from recorded
 * answers and streams.
 */
import { describe, expect, test } from "bun:test";
import type { IRStreamEvent } from "../../../src/ir/types.ts";
import { anthropicProviderCodec } from "../../../src/protocols/anthropic/codec.ts";
import { fromAnthropicResponse } from "../../../src/protocols/anthropic/from-anthropic-response.ts";
import {
  isServerToolBlock,
  renderServerToolBlock,
} from "../../../src/protocols/anthropic/render-server-tool-block.ts";
import { decodeStream } from "../../ir/translate-stream.ts";
import { readFixture, recordedInteractions } from "../../support/fixtures.ts";

const WEB_SEARCH = "anthropic/sdkpy-cassette-tools-web-search-server-tool.json";
const webSearchAnswer = () => JSON.parse(recordedInteractions(WEB_SEARCH)[0]!.bodyText);

describe("server-tool blocks → one documented line of text each", () => {
  test("which blocks are server-tool blocks", () => {
    for (const type of [
      "server_tool_use",
      "mcp_tool_use",
      "mcp_tool_result",
      "web_search_tool_result",
      "web_fetch_tool_result",
      "code_execution_tool_result",
      "bash_code_execution_tool_result",
    ])
      expect(isServerToolBlock(type)).toBe(true);
    for (const type of ["text", "tool_use", "tool_result", "thinking", "compaction", "fallback", undefined])
      expect(isServerToolBlock(type)).toBe(false);
  });

  test("each kind has its line; results show what a reader can use; unknown kinds are named", () => {
    expect(
      renderServerToolBlock({ type: "server_tool_use", id: "s1", name: "web_search", input: { query: "q" } }),
    ).toBe('\n[server_tool_use web_search {"query":"q"}]\n');
    expect(
      renderServerToolBlock({
        type: "mcp_tool_use",
        id: "m1",
        name: "search_issues",
        server_name: "github",
        input: { q: "bug" },
      }),
    ).toBe('\n[mcp_tool_use github/search_issues {"q":"bug"}]\n');
    expect(
      renderServerToolBlock({
        type: "mcp_tool_result",
        tool_use_id: "m1",
        is_error: false,
        content: [
          { type: "text", text: "#12 open" },
          { type: "text", text: "#13 closed" },
        ],
      }),
    ).toBe("\n[mcp_tool_result] #12 open\n#13 closed\n");
    expect(renderServerToolBlock({ type: "mcp_tool_result", is_error: true, content: "denied" })).toBe(
      "\n[mcp_tool_result error] denied\n",
    );
    expect(
      renderServerToolBlock({
        type: "web_search_tool_result",
        content: { type: "web_search_tool_result_error", error_code: "max_uses_exceeded" },
      }),
    ).toBe("\n[web_search_tool_result error max_uses_exceeded]\n");
    expect(
      renderServerToolBlock({
        type: "bash_code_execution_tool_result",
        content: { type: "bash_code_execution_result", return_code: 1, stdout: "", stderr: "boom" },
      }),
    ).toBe("\n[bash_code_execution_tool_result return_code=1] boom\n");
    expect(renderServerToolBlock({ type: "web_fetch_tool_result", content: {} })).toBe(
      "\n[web_fetch_tool_result]\n",
    );
  });

  test("recorded web search answer: call and results as text in place, the answer text with its citations", () => {
    const response = fromAnthropicResponse(webSearchAnswer());
    const [call, results, first] = response.parts;
    expect(call).toEqual({
      type: "text",
      text: '\n[server_tool_use web_search {"query":"San Francisco weather today"}]\n',
    });
    expect(results?.type === "text" && results.text).toStartWith(
      "\n[web_search_tool_result] San Francisco, CA Weather Forecast | AccuWeather <https://www.accuweather.com/en/us/san-francisco/94103/weather-forecast/347629>; ",
    );
    expect(first).toMatchObject({
      type: "text",
      text: "Today in San Francisco, there are showers with breezy and cool conditions, with a high of 52°F.",
      citations: [
        {
          type: "web_search_result_location",
          url: "https://www.accuweather.com/en/us/san-francisco/94103/weather-forecast/347629",
          title: "San Francisco, CA Weather Forecast | AccuWeather",
        },
      ],
    });
    // The encrypted page contents are not text a client can read: they are not rendered.
    expect(JSON.stringify(response.parts)).not.toContain("encrypted_content");
  });

  test("recorded stream with server_tool_use, a client tool call, web search and code execution results", () => {
    const events = decodeStream(
      anthropicProviderCodec,
      readFixture("anthropic/sdkpy-server_tool_result_response.txt"),
    );
    const texts = events.flatMap((e) => (e.type === "text_delta" ? [e.text] : []));
    expect(texts).toEqual([
      "\n[server_tool_use web_search {}]\n",
      "\n[web_search_tool_result] Example Result <https://example.com>\n",
      "\n[code_execution_tool_result return_code=0] hello\n",
    ]);
    expect(events.filter((e) => e.type === "tool_call_start")).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: "finish", reason: "tool_use" });
  });

  test("a streamed server_tool_use input (input_json_delta) is rendered once complete", () => {
    const events = decodeStream(
      anthropicProviderCodec,
      readFixture("anthropic/sdkpy-server_tool_use_response.txt"),
    );
    const texts = events.flatMap((e) => (e.type === "text_delta" ? [e.text] : []));
    expect(texts.at(-1)).toMatch(/^\n\[server_tool_use web_search \{"query":".+"\}\]\n$/);
  });
});

describe("citations in streams", () => {
  const sse = (events: Array<[string, Record<string, unknown>]>) =>
    events
      .map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`)
      .join("");

  test("citations_delta events are kept and sent with the block's end, covering the block's text", () => {
    const citation = {
      type: "web_search_result_location",
      url: "https://example.com/a",
      title: "A",
      cited_text: "x",
      encrypted_index: "e",
    };
    const events = decodeStream(
      anthropicProviderCodec,
      sse([
        [
          "message_start",
          { message: { id: "msg_1", model: "m", usage: { input_tokens: 1, output_tokens: 1 } } },
        ],
        ["content_block_start", { index: 0, content_block: { type: "text", text: "Intro. " } }],
        ["content_block_stop", { index: 0 }],
        ["content_block_start", { index: 1, content_block: { type: "text", text: "", citations: [] } }],
        ["content_block_delta", { index: 1, delta: { type: "citations_delta", citation } }],
        ["content_block_delta", { index: 1, delta: { type: "text_delta", text: "It rains" } }],
        ["content_block_delta", { index: 1, delta: { type: "text_delta", text: " today." } }],
        ["content_block_stop", { index: 1 }],
        ["message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 5 } }],
        ["message_stop", {}],
      ]),
    );
    const deltas = events.filter(
      (e): e is Extract<IRStreamEvent, { type: "text_delta" }> => e.type === "text_delta",
    );
    expect(deltas).toEqual([
      { type: "text_delta", text: "Intro. " },
      { type: "text_delta", text: "It rains" },
      { type: "text_delta", text: " today." },
      { type: "text_delta", text: "", citations: { sources: [citation], length: 15 } },
    ]);
  });
});
