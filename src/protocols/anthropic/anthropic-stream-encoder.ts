import type { StreamEncoder } from "../../ir/codec.ts";
import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRStopReason, IRStreamEvent, IRUsage } from "../../ir/types.ts";
import { encodeSSE } from "../../sse/encoder.ts";
import { resolveStopSequence, toAnthropicStopReason } from "./map-stop-reason.ts";
import { toAnthropicToolUseId } from "./tool-use-id.ts";

export interface AnthropicStreamEncoderOptions {
  requestedModel: string;
  /** Reported as message_start input_tokens when the upstream has not said yet (OpenAI reports usage last). */
  inputTokenEstimate: number;
  /** The request's stop sequences: decide a stop the provider could not tell apart (resolveStopSequence). */
  stopSequences?: string[];
}

type OpenBlock =
  | { kind: "text"; index: number }
  | { kind: "thinking"; index: number }
  | { kind: "tool"; index: number; toolIndex: number };

/** A tool call that started while another tool block was still receiving arguments. */
interface QueuedTool {
  toolIndex: number;
  id: string;
  name: string;
  args: string;
}

const isCompleteJson = (text: string): boolean => {
  if (!text) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * IR events → Anthropic Messages SSE. The one place content-block indices are allocated:
 * a block opens when output of its kind starts and closes when another kind (or another tool
 * call) starts or the turn finishes. Anthropic blocks are strictly sequential, but some
 * OpenAI-compatible upstreams start several tool calls before streaming their arguments: a call
 * that starts while the open tool block's arguments are not yet complete JSON is queued, its
 * arguments buffered, and its block is opened once the blocks before it are closed. message_start goes first; message_delta (stop reason
 * derived from what was emitted, usage) and message_stop go out at end(), after the upstream's
 * final usage has arrived. An error event ends the stream with `event: error`.
 */
export class AnthropicStreamEncoder implements StreamEncoder {
  private id = generateId("msg_");
  private started = false;
  private finished = false;
  private failed = false;
  private nextIndex = 0;
  private open: OpenBlock | null = null;
  /** Content-block index of each tool call, for argument deltas that arrive late. */
  private readonly toolBlocks = new Map<number, number>();
  /** Arguments sent so far in the open tool block. */
  private openToolArgs = "";
  private readonly queuedTools: QueuedTool[] = [];
  private stopReason: IRStopReason = "end_turn";
  private stopSequence: string | null = null;
  private usage: Partial<IRUsage> = {};
  private sentText = false;

  constructor(private readonly options: AnthropicStreamEncoderOptions) {}

  push(event: IRStreamEvent): string {
    if (this.failed) return "";
    if (event.type === "usage") {
      this.usage = { ...this.usage, ...event.usage };
      return "";
    }
    if (this.finished) return "";
    switch (event.type) {
      case "message_start":
        if (event.id) this.id = event.id.startsWith("msg_") ? event.id : `msg_${event.id}`;
        if (event.usage) this.usage = { ...this.usage, ...event.usage };
        return this.start();
      case "text_delta": {
        if (!event.text) return this.start();
        this.sentText = true;
        const out = this.start() + this.ensureBlock("text", { type: "text", text: "" });
        return out + this.delta({ type: "text_delta", text: event.text });
      }
      case "reasoning_delta": {
        if (!event.text) return this.start();
        const out =
          this.start() + this.ensureBlock("thinking", { type: "thinking", thinking: "", signature: "" });
        return out + this.delta({ type: "thinking_delta", thinking: event.text });
      }
      case "reasoning_signature": {
        const out =
          this.start() + this.ensureBlock("thinking", { type: "thinking", thinking: "", signature: "" });
        // The signature completes its thinking block.
        return out + this.delta({ type: "signature_delta", signature: event.signature }) + this.closeBlock();
      }
      case "redacted_reasoning": {
        let out = this.start() + this.closeBlock();
        const index = this.nextIndex++;
        out += this.event("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "redacted_thinking", data: event.data },
        });
        return out + this.event("content_block_stop", { type: "content_block_stop", index });
      }
      case "tool_call_start": {
        const out = this.start();
        if (this.open?.kind === "tool" && !isCompleteJson(this.openToolArgs)) {
          this.queuedTools.push({ toolIndex: event.toolIndex, id: event.id, name: event.name, args: "" });
          return out;
        }
        return out + this.closeBlock() + this.openTool(event.toolIndex, event.id, event.name, "");
      }
      case "tool_call_delta": {
        if (!event.argumentsDelta) return "";
        if (this.open?.kind === "tool" && this.open.toolIndex === event.toolIndex) {
          this.openToolArgs += event.argumentsDelta;
          return this.delta({ type: "input_json_delta", partial_json: event.argumentsDelta });
        }
        const queued = this.queuedTools.find((tool) => tool.toolIndex === event.toolIndex);
        if (queued) queued.args += event.argumentsDelta;
        // A delta for a block already closed cannot be delivered: Anthropic blocks do not reopen.
        return "";
      }
      case "finish": {
        const stop = resolveStopSequence(
          deriveStopReason(event.reason, this.toolBlocks.size > 0),
          event.stopSequence,
          event.stopSequenceUnknown === true,
          this.options.stopSequences,
        );
        this.stopReason = stop.reason;
        this.stopSequence = stop.sequence;
        // A refusal whose reason came with no answer text (Gemini's finishMessage) is the text.
        const refusal =
          event.refusal && !this.sentText
            ? this.push({ type: "text_delta", text: event.refusal })
            : this.start();
        this.finished = true;
        return refusal + this.closeBlock();
      }
      case "error":
        this.failed = true;
        return this.event("error", {
          type: "error",
          error: { type: event.errorType, message: event.message },
        });
    }
  }

  end(): string {
    if (this.failed) return "";
    if (!this.finished) {
      // The upstream ended without finishing the turn: not a success.
      this.failed = true;
      return this.event("error", {
        type: "error",
        error: { type: "api_error", message: "upstream stream ended before the response was complete" },
      });
    }
    const usage: Record<string, number> = { output_tokens: this.usage.outputTokens ?? 0 };
    if (this.usage.inputTokens !== undefined) usage.input_tokens = this.usage.inputTokens;
    if (this.usage.cacheWriteTokens !== undefined)
      usage.cache_creation_input_tokens = this.usage.cacheWriteTokens;
    if (this.usage.cacheReadTokens !== undefined) usage.cache_read_input_tokens = this.usage.cacheReadTokens;
    return (
      this.event("message_delta", {
        type: "message_delta",
        delta: { stop_reason: toAnthropicStopReason(this.stopReason), stop_sequence: this.stopSequence },
        usage,
      }) + this.event("message_stop", { type: "message_stop" })
    );
  }

  private start(): string {
    if (this.started) return "";
    this.started = true;
    const usage = {
      input_tokens: this.usage.inputTokens ?? this.options.inputTokenEstimate,
      cache_creation_input_tokens: this.usage.cacheWriteTokens ?? 0,
      cache_read_input_tokens: this.usage.cacheReadTokens ?? 0,
      output_tokens: this.usage.outputTokens ?? 0,
    };
    return this.event("message_start", {
      type: "message_start",
      message: {
        id: this.id,
        type: "message",
        role: "assistant",
        model: this.options.requestedModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage,
      },
    });
  }

  /** Opens a block of this kind unless one is already open. */
  private ensureBlock(kind: "text" | "thinking", contentBlock: Record<string, unknown>): string {
    if (this.open?.kind === kind) return "";
    const out = this.closeBlock();
    const index = this.nextIndex++;
    this.open = { kind, index };
    return (
      out +
      this.event("content_block_start", { type: "content_block_start", index, content_block: contentBlock })
    );
  }

  /** Closes the open block, and then every queued tool call in turn. */
  private closeBlock(): string {
    let out = "";
    for (;;) {
      if (this.open) {
        out += this.event("content_block_stop", { type: "content_block_stop", index: this.open.index });
        this.open = null;
      }
      const next = this.queuedTools.shift();
      if (!next) return out;
      out += this.openTool(next.toolIndex, next.id, next.name, next.args);
    }
  }

  private openTool(toolIndex: number, id: string, name: string, bufferedArgs: string): string {
    const index = this.nextIndex++;
    this.open = { kind: "tool", index, toolIndex };
    this.openToolArgs = bufferedArgs;
    this.toolBlocks.set(toolIndex, index);
    let out = this.event("content_block_start", {
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id: toAnthropicToolUseId(id), name, input: {} },
    });
    if (bufferedArgs) out += this.delta({ type: "input_json_delta", partial_json: bufferedArgs });
    return out;
  }

  private delta(delta: Record<string, unknown>): string {
    return this.event("content_block_delta", {
      type: "content_block_delta",
      index: this.open?.index ?? 0,
      delta,
    });
  }

  private event(name: string, data: Record<string, unknown>): string {
    return encodeSSE(JSON.stringify(data), name);
  }
}
