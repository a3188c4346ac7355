/**
 * Shared pieces of the `/v1/responses` e2e tests: the gateway in front of one mock upstream with a
 * provider of each wire (Anthropic, Gemini, Chat Completions, Responses), the upstream replies of
 * each wire for the same answer, and readers for raw Responses streams.
 */
import { expect } from "bun:test";
import { SSEParser } from "../../src/sse/parser.ts";
import { providersYaml } from "../support/gateway.ts";
import type { MockReply, MockUpstream } from "../support/mock-upstream.ts";
import {
  anthropicEvents,
  anthropicMessage,
  geminiChunks,
  geminiResponse,
  openAIChunks,
  openAICompletion,
  responsesEvents,
  responsesObject,
} from "../support/wire-builders.ts";

/**
 * `providersYaml` plus `resp`, an OpenAI-type provider whose every model is called on
 * `/responses` (`responses: true`), keyed `sk-resp-test`, listing `gpt-5.4` (so the bare id is
 * its own, unchanged). `extra` is top-level YAML.
 */
export function responsesYaml(mock: MockUpstream, extra = ""): string {
  return `${providersYaml(
    mock,
    `  resp:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: sk-resp-test
    models: [gpt-5.4]
    responses: true
`,
  )}${extra}`;
}

export type Json = Record<string, unknown>;

export interface ToolCallSpec {
  id: string;
  name: string;
  args: Json;
}

/** One provider wire as a Responses client reaches it, and its replies for a given answer. */
export interface ProviderCase {
  name: string;
  model: string;
  /** The path the upstream call goes to. */
  path(stream: boolean): string;
  /** An answer of text, streamed in these pieces. */
  text(pieces: string[], stream: boolean): MockReply;
  /** An answer of tool calls only. Gemini calls carry no id: the gateway makes one up. */
  toolCalls(calls: ToolCallSpec[], stream: boolean): MockReply;
  /** The client's call_id is the upstream's call id (Gemini's calls carry none: the gateway makes one up). */
  keepsCallIds: boolean;
}

export const ANTHROPIC: ProviderCase = {
  name: "Anthropic",
  model: "anthropic/claude-sonnet-4-5",
  path: () => "/v1/messages",
  text: (pieces, stream) =>
    stream
      ? { sse: anthropicEvents({ content: [{ type: "text", text: pieces }] }) }
      : { json: anthropicMessage({ content: pieces.join("") }) },
  toolCalls: (calls, stream) => {
    const content = calls.map((c) => ({ type: "tool_use" as const, id: c.id, name: c.name, input: c.args }));
    return stream ? { sse: anthropicEvents({ content }) } : { json: anthropicMessage({ content }) };
  },
  keepsCallIds: true,
};

export const GEMINI: ProviderCase = {
  name: "Gemini",
  model: "gemini/gemini-2.5-flash",
  path: (stream) =>
    stream
      ? "/v1beta/models/gemini-2.5-flash:streamGenerateContent"
      : "/v1beta/models/gemini-2.5-flash:generateContent",
  text: (pieces, stream) =>
    stream ? { sse: geminiChunks({ text: pieces }) } : { json: geminiResponse({ text: pieces.join("") }) },
  toolCalls: (calls, stream) => {
    const parts = calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }));
    return stream ? { sse: geminiChunks({ parts }) } : { json: geminiResponse({ parts }) };
  },
  keepsCallIds: false,
};

export const CHAT: ProviderCase = {
  name: "Chat Completions",
  model: "openai/gpt-4o-mini",
  path: () => "/v1/chat/completions",
  text: (pieces, stream) =>
    stream
      ? { sse: openAIChunks({ text: pieces, usage: { prompt_tokens: 10, completion_tokens: 5 } }) }
      : { json: openAICompletion({ text: pieces.join("") }) },
  toolCalls: (calls, stream) => {
    const toolCalls = calls.map((c) => ({ id: c.id, name: c.name, arguments: JSON.stringify(c.args) }));
    return stream
      ? { sse: openAIChunks({ text: null, toolCalls, usage: { prompt_tokens: 10, completion_tokens: 5 } }) }
      : { json: openAICompletion({ text: null, toolCalls }) };
  },
  keepsCallIds: true,
};

export const RESPONSES: ProviderCase = {
  name: "Responses",
  model: "resp/gpt-5.4",
  path: () => "/v1/responses",
  text: (pieces, stream) =>
    stream
      ? { sse: responsesEvents({ model: "gpt-5.4", pieces }) }
      : { json: responsesObject({ model: "gpt-5.4", text: pieces.join("") }) },
  toolCalls: (calls, stream) => {
    const output = calls.map((c) => ({
      type: "function_call" as const,
      callId: c.id,
      name: c.name,
      arguments: JSON.stringify(c.args),
    }));
    return stream
      ? { sse: responsesEvents({ model: "gpt-5.4", output }) }
      : { json: responsesObject({ model: "gpt-5.4", output }) };
  },
  keepsCallIds: true,
};

export const PROVIDER_CASES = [ANTHROPIC, GEMINI, CHAT, RESPONSES];

export const weatherTool = {
  type: "function" as const,
  name: "get_weather",
  description: "Current weather for a city",
  parameters: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  },
  strict: true,
};

/** A raw POST to the gateway (no SDK), JSON body unless a string is given. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface StreamEvent {
  /** The `event:` line. */
  event: string;
  data: Json;
}

/** Every event of a raw Responses stream, parsed; checks that `event:` names the data's `type`. */
export async function readEvents(response: Response): Promise<StreamEvent[]> {
  const parser = new SSEParser();
  const raw = [...parser.push(await response.text()), ...parser.end(true)];
  return raw.map((e) => {
    const data = JSON.parse(e.data) as Json;
    expect(e.event).toBe(data.type as string);
    return { event: e.event, data };
  });
}

/** `sequence_number` counts every event from 0, with no gap. */
export function expectSequenced(events: StreamEvent[]): void {
  expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
}
