/**
 * The mock upstream's default answers: for any request, a valid response in the wire format its
 * path speaks, whose text is `echo: <last user text>` (so a test can see the prompt arrived).
 * Also the provider-shaped error bodies used when a scripted error gives no body.
 */
import {
  anthropicEvents,
  anthropicMessage,
  geminiChunks,
  geminiResponse,
  openAIChunks,
  openAICompletion,
  responsesEvents,
  responsesObject,
} from "./wire-builders.ts";

export type WireProtocol = "openai" | "anthropic" | "gemini";

export type Endpoint =
  | { kind: "openai.chat" }
  | { kind: "openai.responses" }
  | { kind: "openai.models" }
  | { kind: "anthropic.messages" }
  | { kind: "anthropic.count_tokens" }
  | { kind: "anthropic.models" }
  | { kind: "gemini.generate"; model: string; stream: boolean; sse: boolean }
  | { kind: "openai.embeddings" }
  | { kind: "gemini.embed"; model: string }
  | { kind: "unknown" };

export const ECHO_PREFIX = "echo: ";

/** Which provider endpoint a request addresses; any base path prefix (e.g. `/v1`, `/openai/v1`) works. */
export function classifyEndpoint(method: string, path: string, search: string, headers: Headers): Endpoint {
  const gemini = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  if (method === "POST" && gemini) {
    const stream = gemini[2] === "streamGenerateContent";
    return {
      kind: "gemini.generate",
      model: gemini[1]!,
      stream,
      sse: new URLSearchParams(search).get("alt") === "sse",
    };
  }
  const geminiEmbed = /\/models\/([^/:]+):batchEmbedContents$/.exec(path);
  if (method === "POST" && geminiEmbed) return { kind: "gemini.embed", model: geminiEmbed[1]! };
  if (method === "POST" && path.endsWith("/embeddings")) return { kind: "openai.embeddings" };
  if (method === "POST" && path.endsWith("/chat/completions")) return { kind: "openai.chat" };
  if (method === "POST" && path.endsWith("/responses")) return { kind: "openai.responses" };
  if (method === "POST" && path.endsWith("/messages/count_tokens")) return { kind: "anthropic.count_tokens" };
  if (method === "POST" && path.endsWith("/messages")) return { kind: "anthropic.messages" };
  if (method === "GET" && path.endsWith("/models")) {
    return headers.has("anthropic-version") ? { kind: "anthropic.models" } : { kind: "openai.models" };
  }
  return { kind: "unknown" };
}

export function protocolOf(endpoint: Endpoint): WireProtocol {
  if (endpoint.kind.startsWith("anthropic")) return "anthropic";
  if (endpoint.kind.startsWith("gemini")) return "gemini";
  return "openai";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textOfContent(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.filter(isRecord).flatMap((p) => (typeof p.text === "string" ? [p.text] : []));
  return texts.length ? texts.join("") : undefined;
}

/** The last user turn's text, in any of the three request formats. */
export function lastUserText(body: unknown): string {
  if (!isRecord(body)) return "";
  if (Array.isArray(body.messages)) {
    for (let i = body.messages.length - 1; i >= 0; i--) {
      const m: unknown = body.messages[i];
      if (isRecord(m) && m.role === "user") return textOfContent(m.content) ?? "";
    }
  }
  if (typeof body.input === "string") return body.input;
  if (Array.isArray(body.input)) {
    for (let i = body.input.length - 1; i >= 0; i--) {
      const item: unknown = body.input[i];
      if (isRecord(item) && item.role === "user") return textOfContent(item.content) ?? "";
    }
  }
  if (Array.isArray(body.contents)) {
    for (let i = body.contents.length - 1; i >= 0; i--) {
      const c: unknown = body.contents[i];
      if (isRecord(c) && (c.role === "user" || c.role === undefined)) return textOfContent(c.parts) ?? "";
    }
  }
  return "";
}

/** Deterministic token estimate (4 characters per token) so usage assertions are stable. */
export const estimateTokens = (value: unknown): number =>
  Math.max(1, Math.ceil((typeof value === "string" ? value : JSON.stringify(value ?? "")).length / 4));

/** Text split into word-ish pieces, so echo streams carry several deltas. */
export function splitText(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [];
  return pieces.length ? pieces : [text];
}

export interface EchoResult {
  status: number;
  contentType: string;
  /** One element per chunk (streams) or a single element (JSON). */
  chunks: string[];
}

const json = (value: unknown, status = 200): EchoResult => ({
  status,
  contentType: "application/json",
  chunks: [JSON.stringify(value)],
});
const sse = (chunks: string[]): EchoResult => ({ status: 200, contentType: "text/event-stream", chunks });

export interface EchoOptions {
  /** Model ids for GET /models. */
  models: string[];
  /** Sequence number used to make ids unique per request. */
  seq: number;
}

export function echoReply(endpoint: Endpoint, body: unknown, opts: EchoOptions): EchoResult {
  const b = isRecord(body) ? body : {};
  const text = ECHO_PREFIX + lastUserText(body);
  const inputTokens = estimateTokens(b.messages ?? b.contents ?? b.input ?? "");
  const outputTokens = splitText(text).length;
  switch (endpoint.kind) {
    case "openai.chat": {
      const model = typeof b.model === "string" ? b.model : "gpt-4o-mini";
      const usage = { prompt_tokens: inputTokens, completion_tokens: outputTokens };
      const id = `chatcmpl-mock-${opts.seq}`;
      if (b.stream !== true) return json(openAICompletion({ id, model, text, usage }));
      const so = b.stream_options;
      const includeUsage = isRecord(so) && so.include_usage === true;
      return sse(openAIChunks({ id, model, text: splitText(text), usage: includeUsage ? usage : null }));
    }
    case "openai.responses": {
      const model = typeof b.model === "string" ? b.model : "gpt-5.4-pro";
      const spec = {
        id: `resp_mock_${opts.seq}`,
        model,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens },
      };
      if (b.stream !== true) return json(responsesObject({ ...spec, text }));
      return sse(responsesEvents({ ...spec, pieces: splitText(text) }));
    }
    case "anthropic.messages": {
      const model = typeof b.model === "string" ? b.model : "claude-sonnet-4-5";
      const spec = {
        id: `msg_mock_${opts.seq}`,
        model,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens },
      };
      if (b.stream !== true) return json(anthropicMessage({ ...spec, content: text }));
      return sse(anthropicEvents({ ...spec, content: [{ type: "text", text: splitText(text) }] }));
    }
    case "anthropic.count_tokens":
      return json({ input_tokens: estimateTokens([b.system ?? "", b.messages ?? "", b.tools ?? ""]) });
    case "gemini.generate": {
      const spec = {
        model: endpoint.model,
        responseId: `mock-${opts.seq}`,
        usage: { promptTokenCount: inputTokens, candidatesTokenCount: outputTokens },
      };
      if (!endpoint.stream) return json(geminiResponse({ ...spec, text }));
      const chunks = geminiChunks({ ...spec, text: splitText(text) });
      if (endpoint.sse) return sse(chunks);
      // Without alt=sse Gemini streams one JSON array of responses.
      return json(chunks.map((c) => JSON.parse(c.slice("data: ".length))));
    }
    case "openai.embeddings": {
      const inputs = embeddingInputs(b.input);
      const dimensions = typeof b.dimensions === "number" ? b.dimensions : 3;
      const vectors = inputs.map((input) => mockVector(input, dimensions));
      const tokens = inputs.reduce<number>((sum, input) => sum + estimateTokens(input), 0);
      return json({
        object: "list",
        data: vectors.map((vector, index) => ({
          object: "embedding",
          index,
          embedding: b.encoding_format === "base64" ? base64Float32(vector) : vector,
        })),
        model: typeof b.model === "string" ? b.model : "text-embedding-3-small",
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    }
    case "gemini.embed": {
      const requests = Array.isArray(b.requests) ? b.requests.filter(isRecord) : [];
      return json({
        embeddings: requests.map((request) => {
          const dimensions =
            typeof request.outputDimensionality === "number" ? request.outputDimensionality : 3;
          const parts = isRecord(request.content) ? request.content.parts : undefined;
          return { values: mockVector(textOfContent(parts) ?? "", dimensions) };
        }),
      });
    }
    case "openai.models":
      return json({
        object: "list",
        data: opts.models.map((id) => ({ id, object: "model", created: 1700000000, owned_by: "mock" })),
      });
    case "anthropic.models":
      return json({
        data: opts.models.map((id) => ({
          type: "model",
          id,
          display_name: id,
          created_at: "2025-01-01T00:00:00Z",
        })),
        has_more: false,
        first_id: opts.models[0] ?? null,
        last_id: opts.models.at(-1) ?? null,
      });
    case "unknown":
      return json({ error: { message: "mock upstream: no such endpoint", type: "not_found" } }, 404);
  }
}

/** Each input of an embeddings request as one item (a text, or a token-id array). */
function embeddingInputs(input: unknown): unknown[] {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input)) return [];
  return typeof input[0] === "number" ? [input] : input;
}

/**
 * A deterministic vector for an input: its length first, then fractions of it, so a test can tell
 * inputs and their order apart (`[length, length/2, length/4, …]`; every value exact in float32).
 */
export function mockVector(input: unknown, dimensions: number): number[] {
  const length = typeof input === "string" ? input.length : JSON.stringify(input ?? "").length;
  return Array.from({ length: dimensions }, (_, i) => length / 2 ** i);
}

function base64Float32(vector: number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [i, value] of vector.entries()) view.setFloat32(i * 4, value, true);
  return Buffer.from(bytes).toString("base64");
}

const OPENAI_ERROR_TYPE: Record<number, string> = {
  400: "invalid_request_error",
  401: "invalid_request_error",
  403: "permission_error",
  404: "invalid_request_error",
  429: "rate_limit_exceeded",
};
const ANTHROPIC_ERROR_TYPE: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};
const GEMINI_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** An error body the way each provider shapes it, for scripted errors without an explicit body. */
export function providerErrorBody(protocol: WireProtocol, status: number, message?: string): unknown {
  const msg = message ?? `mock upstream error ${status}`;
  switch (protocol) {
    case "openai":
      return {
        error: { message: msg, type: OPENAI_ERROR_TYPE[status] ?? "server_error", param: null, code: null },
      };
    case "anthropic":
      return { type: "error", error: { type: ANTHROPIC_ERROR_TYPE[status] ?? "api_error", message: msg } };
    case "gemini":
      return { error: { code: status, message: msg, status: GEMINI_STATUS[status] ?? "UNKNOWN" } };
  }
}
