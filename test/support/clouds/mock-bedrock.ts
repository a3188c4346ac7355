/**
 * A loopback Bedrock runtime that checks what AWS checks: every request SigV4-verified
 * (sigv4-verifier.ts) or carrying the Bedrock API key as a bearer token; errors in Bedrock's
 * shape (`{"message"}` with `x-amzn-errortype`).
 * - `/model/{id}/invoke` and `/invoke-with-response-stream`: an Anthropic body with
 *   `anthropic_version: bedrock-2023-05-31` and no `model`/`stream`, answered by the mock's
 *   Messages endpoint; streams re-framed as AWS event-stream `chunk` messages (`{"bytes": base64}`),
 *   each frame written in two pieces so that frames are split across reads.
 * - `/model/{id}/converse` and `/converse-stream`: a Converse echo (`echo: <last user text>`); with
 *   tools and no tool result yet, a call of the first tool with `{"city":"Paris"}`; after a tool
 *   result, `tool said: <result text>`.
 * - `/model/{id}/invoke` with an embedding model, validated as Bedrock validates it (extraneous keys,
 *   limits) and answered with vectors from mockVector: Titan text (`{"inputText","dimensions"?}` →
 *   `{"embedding","inputTextTokenCount"}`, v2 also `embeddingsByType`; 1024 dimensions by default on
 *   v2, 1536 on v1) and Cohere Embed v3/v4 (`{"texts"≤96,"input_type",…}` → `embeddings_floats`, or
 *   `embeddings_by_type` when `embedding_types` is set; 1024 dimensions, 1536 on v4). Token counts
 *   are ceil(characters / 3), in the `X-Amzn-Bedrock-Input-Token-Count` header unless
 *   `omitTokenCountHeader` is set (Titan's body also carries them).
 * - `/echo/…` (not a Bedrock operation; for the pass-through tests): a verified request is answered
 *   with its body exactly as received (`application/octet-stream`).
 */
import { encodeEventStreamMessage } from "../../../src/providers/bedrock/aws-event-stream.ts";
import { SSEParser } from "../../../src/sse/parser.ts";
import { mockVector } from "../mock-echo.ts";
import type { MockUpstream } from "../mock-upstream.ts";
import { type Gate, type GateRequest, startGate } from "./mock-gate.ts";
import { type AwsAccount, verifySigV4 } from "./sigv4-verifier.ts";

/** AWS's documented example credentials, with a session token: an account the loopback Bedrock can be told to accept. */
export const TEST_AWS_ACCOUNT = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789",
} satisfies AwsAccount;

export interface MockBedrockOptions {
  upstream: MockUpstream;
  region: string;
  accounts: AwsAccount[];
  apiKey?: string;
}

export interface MockBedrock extends Gate {
  /** The next ConverseStream sends this exception after its first text delta. */
  streamExceptionNext?: string;
  /** Embedding answers without the `X-Amzn-Bedrock-Input-Token-Count` header. */
  omitTokenCountHeader?: boolean;
}

const PATH = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream|converse|converse-stream)$/;
const ECHO_PATH = /^\/echo(?:\/|$)/;
const encoder = new TextEncoder();

function bedrockError(status: number, type: string, message: string): Response {
  return Response.json(
    { message },
    {
      status,
      headers: { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    },
  );
}

function frame(eventType: string, payload: unknown): Uint8Array {
  return encodeEventStreamMessage(
    { ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" },
    encoder.encode(JSON.stringify(payload)),
  );
}

function exceptionFrame(type: string, message: string): Uint8Array {
  return encodeEventStreamMessage(
    { ":exception-type": type, ":content-type": "application/json", ":message-type": "exception" },
    encoder.encode(JSON.stringify({ message })),
  );
}

/** Frames written in two pieces each, so the gateway sees frames split across reads. */
function eventStreamResponse(frames: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Response {
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for await (const f of frames) {
        const cut = Math.max(1, Math.floor(f.length / 3));
        controller.enqueue(f.slice(0, cut));
        await Bun.sleep(1);
        controller.enqueue(f.slice(cut));
      }
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "application/vnd.amazon.eventstream" } });
}

type ConverseBlock = Record<string, unknown>;
type ConverseMsg = { role: string; content: ConverseBlock[] };

/** The mock's Converse answer: a tool call, a reply to a tool result, or an echo. */
function converseAnswer(body: {
  messages?: ConverseMsg[];
  toolConfig?: { tools?: Array<{ toolSpec: { name: string } }> };
}):
  | { kind: "text"; text: string }
  | { kind: "tool"; name: string; id: string; input: Record<string, unknown> } {
  const last = body.messages?.at(-1);
  const result = last?.content.find((b) => "toolResult" in b)?.toolResult as
    | { content?: Array<{ text?: string }> }
    | undefined;
  if (result)
    return { kind: "text", text: `tool said: ${result.content?.map((c) => c.text ?? "").join("") ?? ""}` };
  const tool = body.toolConfig?.tools?.[0]?.toolSpec.name;
  if (tool) return { kind: "tool", name: tool, id: "tooluse_mock_1", input: { city: "Paris" } };
  const text = last?.content.map((b) => (typeof b.text === "string" ? b.text : "")).join("") ?? "";
  return { kind: "text", text: `echo: ${text}` };
}

const USAGE = { inputTokens: 12, outputTokens: 7, totalTokens: 19 };

const embedTokens = (text: string) => Math.ceil(text.length / 3);

/** Titan text and Cohere Embed over InvokeModel; undefined for any other model. */
function embeddingAnswer(
  modelId: string,
  body: Record<string, unknown>,
  tokenHeader: boolean,
): Response | undefined {
  const titan = /(^|[.:/])amazon\.titan-embed-text-(v1|v2)/.exec(modelId)?.[2];
  const cohere = /(^|[.:/])cohere\.embed-(english-v3|multilingual-v3|v4)/.exec(modelId)?.[2];
  if (!titan && !cohere) return undefined;
  const invalid = (message: string) =>
    bedrockError(400, "ValidationException", `Malformed input request: ${message}`);
  const allowed = titan
    ? titan === "v2"
      ? ["inputText", "dimensions", "normalize", "embeddingTypes"]
      : ["inputText"]
    : cohere === "v4"
      ? [
          "texts",
          "images",
          "inputs",
          "input_type",
          "embedding_types",
          "output_dimension",
          "max_tokens",
          "truncate",
        ]
      : ["texts", "images", "input_type", "embedding_types", "truncate"];
  const extraneous = Object.keys(body).find((key) => !allowed.includes(key));
  if (extraneous)
    return invalid(
      `extraneous key [${extraneous}] is not permitted, please reformat your input and try again.`,
    );
  const headers: Record<string, string> = {};
  const answer = (json: unknown, tokens: number) => {
    if (tokenHeader) headers["x-amzn-bedrock-input-token-count"] = String(tokens);
    return Response.json(json, { headers });
  };
  if (titan) {
    if (typeof body.inputText !== "string" || body.inputText.length === 0)
      return invalid("#/inputText: expected a non-empty string");
    if (body.dimensions !== undefined && ![256, 512, 1024].includes(body.dimensions as number))
      return invalid("#/dimensions: 256, 512 or 1024");
    const embedding = mockVector(
      body.inputText,
      (body.dimensions as number | undefined) ?? (titan === "v2" ? 1024 : 1536),
    );
    const tokens = embedTokens(body.inputText);
    return answer(
      titan === "v2"
        ? { embedding, embeddingsByType: { float: embedding }, inputTextTokenCount: tokens }
        : { embedding, inputTextTokenCount: tokens },
      tokens,
    );
  }
  const texts = body.texts;
  if (!Array.isArray(texts) || texts.length === 0 || texts.some((text) => typeof text !== "string"))
    return invalid("#/texts: expected a list of strings");
  if (texts.length > 96) return invalid(`#/texts: expected maxLength: 96, actual: ${texts.length}`);
  if (
    !["search_document", "search_query", "classification", "clustering"].includes(body.input_type as string)
  )
    return invalid("#/input_type: search_document, search_query, classification or clustering required");
  if (
    body.output_dimension !== undefined &&
    ![256, 512, 1024, 1536].includes(body.output_dimension as number)
  )
    return invalid("#/output_dimension: 256, 512, 1024 or 1536");
  const dimensions = (body.output_dimension as number | undefined) ?? (cohere === "v4" ? 1536 : 1024);
  const vectors = (texts as string[]).map((text) => mockVector(text, dimensions));
  const tokens = (texts as string[]).reduce((sum, text) => sum + embedTokens(text), 0);
  const byType = Array.isArray(body.embedding_types);
  return answer(
    {
      id: "c0ffee00-0000-4000-8000-000000000001",
      embeddings: byType ? { float: vectors } : vectors,
      response_type: byType ? "embeddings_by_type" : "embeddings_floats",
      texts,
    },
    tokens,
  );
}

export async function startMockBedrock(options: MockBedrockOptions): Promise<MockBedrock> {
  const state: { streamExceptionNext?: string } = {};

  async function answer(request: GateRequest, match: RegExpExecArray): Promise<Response> {
    const modelId = decodeURIComponent(match[1]!);
    const action = match[2]!;
    const body = JSON.parse(new TextDecoder().decode(request.body)) as Record<string, unknown>;
    if (action === "converse" || action === "converse-stream") {
      const reply = converseAnswer(body as Parameters<typeof converseAnswer>[0]);
      if (action === "converse") {
        const content =
          reply.kind === "text"
            ? [{ text: reply.text }]
            : [{ toolUse: { toolUseId: reply.id, name: reply.name, input: reply.input } }];
        return Response.json({
          output: { message: { role: "assistant", content } },
          stopReason: reply.kind === "text" ? "end_turn" : "tool_use",
          usage: USAGE,
          metrics: { latencyMs: 3 },
        });
      }
      const exception = state.streamExceptionNext;
      state.streamExceptionNext = undefined;
      const frames: Uint8Array[] = [frame("messageStart", { role: "assistant", p: "abcd" })];
      if (reply.kind === "text") {
        const half = Math.ceil(reply.text.length / 2);
        frames.push(
          frame("contentBlockDelta", {
            contentBlockIndex: 0,
            delta: { text: reply.text.slice(0, half) },
            p: "ab",
          }),
        );
        if (exception) {
          frames.push(exceptionFrame(exception, "Too many requests, please wait before trying again."));
          return eventStreamResponse(frames);
        }
        frames.push(
          frame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: reply.text.slice(half) } }),
        );
        frames.push(frame("contentBlockStop", { contentBlockIndex: 0 }));
      } else {
        const input = JSON.stringify(reply.input);
        frames.push(
          frame("contentBlockStart", {
            contentBlockIndex: 0,
            start: { toolUse: { toolUseId: reply.id, name: reply.name } },
          }),
        );
        frames.push(
          frame("contentBlockDelta", {
            contentBlockIndex: 0,
            delta: { toolUse: { input: input.slice(0, 5) } },
          }),
        );
        frames.push(
          frame("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: input.slice(5) } } }),
        );
        frames.push(frame("contentBlockStop", { contentBlockIndex: 0 }));
      }
      frames.push(frame("messageStop", { stopReason: reply.kind === "text" ? "end_turn" : "tool_use" }));
      frames.push(frame("metadata", { usage: USAGE, metrics: { latencyMs: 3 } }));
      return eventStreamResponse(frames);
    }
    const embedded = embeddingAnswer(modelId, body, !(gate as MockBedrock).omitTokenCountHeader);
    if (action === "invoke" && embedded) return embedded;
    // InvokeModel: Anthropic's body, answered by the mock's Messages endpoint.
    if (body.anthropic_version !== "bedrock-2023-05-31" || "model" in body || "stream" in body)
      return bedrockError(
        400,
        "ValidationException",
        "Malformed input request: anthropic_version bedrock-2023-05-31 required; model and stream are not permitted",
      );
    const stream = action === "invoke-with-response-stream";
    const upstream = await fetch(`${options.upstream.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ ...body, model: modelId, ...(stream ? { stream: true } : {}) }),
    });
    if (!stream || !upstream.ok)
      return new Response(await upstream.text(), {
        status: upstream.status,
        headers: { "content-type": "application/json" },
      });
    const text = await upstream.text();
    const parser = new SSEParser();
    const events = [...parser.push(text), ...parser.end(true)];
    return eventStreamResponse(
      events.map((event) =>
        frame("chunk", { bytes: Buffer.from(event.data).toString("base64"), p: "abcdefgh" }),
      ),
    );
  }

  const gate = await startGate({
    upstream: options.upstream,
    async handle(request) {
      const match = PATH.exec(request.url.pathname);
      const echo = ECHO_PATH.test(request.url.pathname);
      if (!match && !echo) return bedrockError(404, "UnknownOperationException", "Unknown operation");
      const bearer = request.headers.get("authorization");
      if (!(options.apiKey && bearer === `Bearer ${options.apiKey}`)) {
        const verdict = verifySigV4(request, options.accounts, options.region, "bedrock");
        if (verdict) {
          gate.rejections.push({ status: 403, body: verdict });
          return bedrockError(403, verdict.type, verdict.message);
        }
      }
      gate.seen.push(request);
      if (!match)
        return new Response(request.body, { headers: { "content-type": "application/octet-stream" } });
      return answer(request, match);
    },
    check: () => undefined,
  });
  Object.defineProperty(gate, "streamExceptionNext", {
    get: () => state.streamExceptionNext,
    set: (value: string | undefined) => {
      state.streamExceptionNext = value;
    },
    enumerable: true,
  });
  return gate as MockBedrock;
}
