import type { StreamEncoder } from "../../ir/codec.ts";
import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRReasoningPart, IRStopReason, IRStreamEvent, IRUsage } from "../../ir/types.ts";
import { encodeSSE } from "../../sse/encoder.ts";
import { toOpenAIUsage } from "./convert-usage.ts";
import { toOpenAIFinishReason, toOpenAINativeFinishReason } from "./map-finish-reason.ts";
import { toReasoningDetails } from "./reasoning-details.ts";
import { toOpenAIAnnotations } from "./to-openai-annotations.ts";
import { toToolCallExtraContent } from "./tool-call-signature.ts";

export interface OpenAIStreamEncoderOptions {
  requestedModel: string;
  includeUsage: boolean;
}

/**
 * IR events → OpenAI chat.completion.chunk SSE, one chunk per event as it arrives.
 * First chunk: role "assistant". Reasoning text streams as `reasoning_content` deltas (the field
 * DeepSeek/xAI/OpenRouter-style clients read); the reasoning blocks with their signatures go out
 * once, as `reasoning_details` in a delta just before the finish chunk (once, so clients that
 * overwrite and clients that concatenate both end up with the full array). Tool calls: a first
 * delta with index/id/type/name and arguments "" (plus a Gemini call's thought signature in
 * `extra_content`), then argument deltas. Citations become `annotations`, a refusal with no text
 * `refusal`, each in one delta just before the finish chunk (pause_turn: `native_finish_reason`).
 * Then the usage chunk (choices: []) when the client asked for it, and [DONE]. An error event
 * ends the stream with `data: {"error":…}` and no [DONE].
 */
export class OpenAIStreamEncoder implements StreamEncoder {
  private id = generateId("chatcmpl-");
  private created = Math.floor(Date.now() / 1000);
  private started = false;
  private finished = false;
  private failed = false;
  private stopReason: IRStopReason | null = null;
  private readonly toolIndexes = new Map<number, number>();
  private readonly reasoning: IRReasoningPart[] = [];
  /** The reasoning block being streamed, until another kind of output starts. */
  private openReasoning: IRReasoningPart | null = null;
  private usage: Partial<IRUsage> = {};
  /** Characters of content sent so far: citation offsets. */
  private contentLength = 0;
  private readonly annotations: Record<string, unknown>[] = [];
  private refusal: string | undefined;

  constructor(private readonly options: OpenAIStreamEncoderOptions) {}

  push(event: IRStreamEvent): string {
    if (this.failed || this.finished) {
      if (event.type === "usage") this.addUsage(event.usage);
      return "";
    }
    switch (event.type) {
      case "message_start":
        if (event.id) this.id = event.id;
        if (event.created) this.created = event.created;
        if (event.usage) this.addUsage(event.usage);
        return this.start();
      case "text_delta": {
        if (event.citations) {
          const { sources, length } = event.citations;
          const end = this.contentLength + event.text.length;
          this.annotations.push(...toOpenAIAnnotations(sources, Math.max(0, end - length), end));
        }
        if (!event.text) return this.start();
        this.openReasoning = null;
        this.contentLength += event.text.length;
        return this.start() + this.chunk({ content: event.text });
      }
      case "reasoning_delta": {
        if (!event.text) return this.start();
        this.reasoningBlock().text += event.text;
        return this.start() + this.chunk({ reasoning_content: event.text });
      }
      case "reasoning_signature": {
        // A signature closes its thinking block: the next reasoning text is a new block.
        const block = this.reasoningBlock();
        block.signature = (block.signature ?? "") + event.signature;
        this.openReasoning = null;
        return this.start();
      }
      case "redacted_reasoning":
        this.openReasoning = null;
        this.reasoning.push({ type: "reasoning", text: "", redacted: true, data: event.data });
        return this.start();
      case "tool_call_start": {
        this.openReasoning = null;
        const index = this.toolIndexes.size;
        this.toolIndexes.set(event.toolIndex, index);
        const call: Record<string, unknown> = {
          index,
          id: event.id,
          type: "function",
          function: { name: event.name, arguments: "" },
        };
        const extra = toToolCallExtraContent(event.signature);
        if (extra) call.extra_content = extra;
        return this.start() + this.chunk({ tool_calls: [call] });
      }
      case "tool_call_delta": {
        const index = this.toolIndexes.get(event.toolIndex);
        if (index === undefined || !event.argumentsDelta) return "";
        return this.chunk({ tool_calls: [{ index, function: { arguments: event.argumentsDelta } }] });
      }
      case "usage":
        this.addUsage(event.usage);
        return "";
      case "finish":
        this.stopReason = deriveStopReason(event.reason, this.toolIndexes.size > 0);
        if (event.refusal && this.contentLength === 0) this.refusal = event.refusal;
        return this.finish();
      case "error":
        this.failed = true;
        return encodeSSE(
          JSON.stringify({
            error: { message: event.message, type: event.errorType, param: null, code: null },
          }),
        );
    }
  }

  end(): string {
    if (this.failed) return "";
    if (!this.finished) {
      // The upstream ended without finishing the turn: not a success.
      this.failed = true;
      return encodeSSE(
        JSON.stringify({
          error: {
            message: "upstream stream ended before the response was complete",
            type: "api_error",
            param: null,
            code: null,
          },
        }),
      );
    }
    let out = "";
    if (this.options.includeUsage) out += this.frame({ choices: [], usage: toOpenAIUsage(this.usage) });
    return `${out}data: [DONE]\n\n`;
  }

  private finish(): string {
    let out = this.start();
    if (this.refusal) out += this.chunk({ refusal: this.refusal });
    // Whole arrays, once: the openai SDK's stream helper overwrites unknown delta fields.
    if (this.annotations.length > 0) out += this.chunk({ annotations: this.annotations });
    if (this.reasoning.some((p) => p.signature !== undefined || p.redacted))
      out += this.chunk({ reasoning_details: toReasoningDetails(this.reasoning) });
    const reason = this.stopReason ?? "end_turn";
    const choice: Record<string, unknown> = {
      index: 0,
      delta: {},
      logprobs: null,
      finish_reason: toOpenAIFinishReason(reason),
    };
    const native = toOpenAINativeFinishReason(reason);
    if (native) choice.native_finish_reason = native;
    out += this.frame({ choices: [choice] });
    this.finished = true;
    return out;
  }

  private reasoningBlock(): IRReasoningPart {
    if (!this.openReasoning) {
      this.openReasoning = { type: "reasoning", text: "" };
      this.reasoning.push(this.openReasoning);
    }
    return this.openReasoning;
  }

  private addUsage(usage: Partial<IRUsage>): void {
    this.usage = { ...this.usage, ...usage };
  }

  private start(): string {
    if (this.started) return "";
    this.started = true;
    return this.chunk({ role: "assistant", content: "" });
  }

  private chunk(delta: Record<string, unknown>): string {
    return this.frame({ choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] });
  }

  private frame(fields: Record<string, unknown>): string {
    return encodeSSE(
      JSON.stringify({
        id: this.id,
        object: "chat.completion.chunk",
        created: this.created,
        model: this.options.requestedModel,
        ...fields,
      }),
    );
  }
}
