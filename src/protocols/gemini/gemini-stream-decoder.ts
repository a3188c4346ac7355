import type { StreamDecoder } from "../../ir/codec.ts";
import { generateId } from "../../ir/ids.ts";
import type { IRStreamEvent } from "../../ir/types.ts";
import type { SSEEvent } from "../../sse/parser.ts";
import { convertGeminiUsage } from "./convert-usage.ts";
import { generateToolCallId } from "./from-gemini-parts.ts";
import { parseCreateTime } from "./from-gemini-response.ts";
import type { GeminiPart, GeminiResponse, GeminiUsageMetadata } from "./gemini-api.ts";
import { mapGeminiErrorStatus, mapGeminiFinishReason } from "./map-finish-reason.ts";
import { readGeminiError, readGeminiResponse } from "./read-gemini-json.ts";
import {
  markGeminiCallSignature,
  markGeminiSignature,
  markGeminiTextSignature,
} from "./thought-signature.ts";

/**
 * `streamGenerateContent?alt=sse` → IR stream events. Every `data:` is a whole
 * GenerateContentResponse: text and thought parts are deltas, function calls arrive whole (one
 * tool_call_start plus one tool_call_delta with all arguments), usageMetadata is cumulative (the
 * last one wins) and finishReason comes on the last chunk. Usage and finish are emitted from end(),
 * once the stream is known to be complete.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  /** After an error event nothing more is emitted. */
  private closed = false;
  private toolCalls = 0;
  private finishReason: string | undefined;
  private finishMessage: string | undefined;
  private blockReason: string | undefined;
  private blockReasonMessage: string | undefined;
  private sentText = false;
  private usage: GeminiUsageMetadata | undefined;

  constructor(private readonly nextId: () => string = generateToolCallId) {}

  push(event: SSEEvent): IRStreamEvent[] {
    if (this.closed) return [];
    const data = event.data.trim();
    if (data === "" || data === "[DONE]") return [];
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return this.fail("api_error", "Gemini sent a stream event that is not JSON");
    }
    // alt=json framing (a JSON array of responses) is tolerated too.
    const chunks = Array.isArray(json) ? json : [json];
    const out: IRStreamEvent[] = [];
    for (const chunk of chunks) {
      if (this.closed) break;
      out.push(...this.pushChunk(chunk));
    }
    return out;
  }

  end(): IRStreamEvent[] {
    if (this.closed) return [];
    if (!this.started) return this.fail("api_error", "Gemini returned an empty stream");
    this.closed = true;
    const out: IRStreamEvent[] = [];
    if (this.usage) out.push({ type: "usage", usage: convertGeminiUsage(this.usage) });
    if (this.blockReason !== undefined && this.finishReason === undefined) {
      out.push(
        this.refusal(this.blockReasonMessage ?? `The prompt was blocked by Gemini (${this.blockReason}).`),
      );
    } else if (this.finishReason === undefined) {
      // A clean end without finishReason is a cut-off stream; it must not look like success.
      out.push({
        type: "error",
        errorType: "api_error",
        message: "Gemini stream ended without a finishReason",
      });
    } else {
      const reason = mapGeminiFinishReason(this.finishReason, this.toolCalls > 0);
      if (reason === "refusal")
        out.push(
          this.refusal(this.finishMessage ?? `The response was stopped by Gemini (${this.finishReason}).`),
        );
      else if (reason === "end_turn" && this.finishReason === "STOP")
        out.push({ type: "finish", reason, stopSequenceUnknown: true });
      else out.push({ type: "finish", reason });
    }
    return out;
  }

  /** A refusal finish; its reason is the refusal text unless answer text was already streamed. */
  private refusal(text: string): IRStreamEvent {
    return this.sentText
      ? { type: "finish", reason: "refusal" }
      : { type: "finish", reason: "refusal", refusal: text };
  }

  private fail(errorType: string, message: string): IRStreamEvent[] {
    this.closed = true;
    return [{ type: "error", errorType, message }];
  }

  private pushChunk(chunk: unknown): IRStreamEvent[] {
    const error = readGeminiError(chunk);
    if (error) {
      const errorType = mapGeminiErrorStatus(error.status, error.code);
      return this.fail(errorType, error.message ?? "Gemini reported an error mid-stream");
    }
    const response = readGeminiResponse(chunk);
    if (!response) return this.fail("api_error", "Gemini sent a stream event that is not a JSON object");

    const out: IRStreamEvent[] = [];
    if (!this.started) out.push(this.messageStart(response));
    if (response.usageMetadata) this.usage = response.usageMetadata;
    if (response.promptFeedback?.blockReason) {
      this.blockReason = response.promptFeedback.blockReason;
      this.blockReasonMessage = response.promptFeedback.blockReasonMessage ?? this.blockReasonMessage;
    }
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) out.push(...this.fromPart(part));
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
    if (candidate?.finishMessage) this.finishMessage = candidate.finishMessage;
    return out;
  }

  private messageStart(response: GeminiResponse): IRStreamEvent {
    this.started = true;
    const start: IRStreamEvent = {
      type: "message_start",
      id: response.responseId ?? generateId("gen-"),
      model: response.modelVersion ?? "",
      created: parseCreateTime(response.createTime),
    };
    const usage = response.usageMetadata;
    if (usage?.promptTokenCount !== undefined) {
      const { inputTokens, cacheReadTokens } = convertGeminiUsage(usage);
      start.usage = cacheReadTokens !== undefined ? { inputTokens, cacheReadTokens } : { inputTokens };
    }
    return start;
  }

  private fromPart(part: GeminiPart): IRStreamEvent[] {
    const signature = part.thoughtSignature ? markGeminiSignature(part.thoughtSignature) : undefined;
    if (part.functionCall) {
      const toolIndex = this.toolCalls++;
      const id = part.functionCall.id ?? this.nextId();
      // The call-bound copy rides as a reasoning signature (see thought-signature.ts).
      const bound: IRStreamEvent[] = part.thoughtSignature
        ? [{ type: "reasoning_signature", signature: markGeminiCallSignature(id, part.thoughtSignature) }]
        : [];
      return [
        ...bound,
        {
          type: "tool_call_start",
          toolIndex,
          id,
          name: part.functionCall.name,
          ...(signature ? { signature } : {}),
        },
        { type: "tool_call_delta", toolIndex, argumentsDelta: JSON.stringify(part.functionCall.args ?? {}) },
      ];
    }
    if (part.text === undefined) return [];
    const out: IRStreamEvent[] = [];
    if (part.thought) {
      if (part.text) out.push({ type: "reasoning_delta", text: part.text });
      if (signature) out.push({ type: "reasoning_signature", signature });
      return out;
    }
    // A signature on answer text goes first and says it is text-bound: it may land on an open
    // thinking block, and must still come back on this text part.
    if (part.thoughtSignature) {
      out.push({ type: "reasoning_signature", signature: markGeminiTextSignature(part.thoughtSignature) });
    }
    if (part.text) {
      this.sentText = true;
      out.push({ type: "text_delta", text: part.text });
    }
    return out;
  }
}
