import type { StreamDecoder } from "../../ir/codec.ts";
import { asArray, asNumber, asRecord, asString, isRecord, tryParseJson } from "../../ir/guards.ts";
import { generateId } from "../../ir/ids.ts";
import type { IRCitation, IRStreamEvent } from "../../ir/types.ts";
import type { SSEEvent } from "../../sse/parser.ts";
import { fromAnthropicUsage } from "./convert-usage.ts";
import { fromAnthropicStopReason } from "./map-stop-reason.ts";
import { isServerToolBlock, renderServerToolBlock } from "./render-server-tool-block.ts";

type BlockState =
  | { kind: "text"; length: number; citations: IRCitation[] }
  | { kind: "thinking" }
  | { kind: "tool"; toolIndex: number; sawArguments: boolean }
  | { kind: "server"; block: Record<string, unknown>; input: string }
  | { kind: "skipped" };

/**
 * Anthropic Messages SSE → IR events, event by event. Block indices are the upstream's; IR tool
 * indices are allocated here in order of appearance. A text block's citations (citations_delta)
 * go out with an empty text_delta when the block stops, covering the block's text. Server-tool
 * blocks (server_tool_use, mcp_tool_use, *_tool_result) become one line of text when they stop
 * (render-server-tool-block.ts); other blocks with no IR equivalent are skipped whole. A tool_use
 * block that streamed no arguments yields "{}". message_stop (or the end of the body) without a
 * message_delta stop reason still ends the turn.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  private readonly blocks = new Map<number, BlockState>();
  private nextToolIndex = 0;
  private started = false;
  private finished = false;

  push(event: SSEEvent): IRStreamEvent[] {
    const data = tryParseJson(event.data);
    if (!isRecord(data)) return [];
    const type = asString(data.type) ?? event.event;
    switch (type) {
      case "message_start":
        return this.messageStart(asRecord(data.message) ?? {});
      case "content_block_start":
        return this.blockStart(asNumber(data.index) ?? 0, asRecord(data.content_block) ?? {});
      case "content_block_delta":
        return this.blockDelta(asNumber(data.index) ?? 0, asRecord(data.delta) ?? {});
      case "content_block_stop":
        return this.blockStop(asNumber(data.index) ?? 0);
      case "message_delta": {
        const out: IRStreamEvent[] = [];
        const usage = fromAnthropicUsage(data.usage);
        if (usage && Object.keys(usage).length > 0) out.push({ type: "usage", usage });
        const delta = asRecord(data.delta);
        if (delta?.stop_reason !== undefined && delta.stop_reason !== null && !this.finished) {
          this.finished = true;
          const finish: IRStreamEvent = {
            type: "finish",
            reason: fromAnthropicStopReason(delta.stop_reason),
          };
          const sequence = asString(delta.stop_sequence);
          if (sequence !== undefined) finish.stopSequence = sequence;
          out.push(finish);
        }
        return out;
      }
      case "message_stop":
        return this.end();
      case "error": {
        const error = asRecord(data.error) ?? {};
        this.finished = true;
        return [
          {
            type: "error",
            errorType: asString(error.type) ?? "api_error",
            message: asString(error.message) ?? "upstream stream error",
          },
        ];
      }
      default:
        return []; // ping and future event types
    }
  }

  end(): IRStreamEvent[] {
    if (this.finished || !this.started) return [];
    this.finished = true;
    return [{ type: "finish", reason: "end_turn" }];
  }

  private messageStart(message: Record<string, unknown>): IRStreamEvent[] {
    this.started = true;
    const start: IRStreamEvent = {
      type: "message_start",
      id: asString(message.id) ?? generateId("msg_"),
      model: asString(message.model) ?? "",
    };
    const usage = fromAnthropicUsage(message.usage);
    if (usage) start.usage = usage;
    return [start];
  }

  private blockStart(index: number, block: Record<string, unknown>): IRStreamEvent[] {
    switch (block.type) {
      case "text": {
        const text = asString(block.text);
        const citations = asArray(block.citations).filter(isRecord);
        this.blocks.set(index, { kind: "text", length: text?.length ?? 0, citations });
        return text ? [{ type: "text_delta", text }] : [];
      }
      case "thinking": {
        this.blocks.set(index, { kind: "thinking" });
        const out: IRStreamEvent[] = [];
        const text = asString(block.thinking);
        if (text) out.push({ type: "reasoning_delta", text });
        const signature = asString(block.signature);
        if (signature) out.push({ type: "reasoning_signature", signature });
        return out;
      }
      case "redacted_thinking":
        this.blocks.set(index, { kind: "skipped" });
        return [{ type: "redacted_reasoning", data: asString(block.data) ?? "" }];
      case "tool_use": {
        const state: BlockState = { kind: "tool", toolIndex: this.nextToolIndex++, sawArguments: false };
        this.blocks.set(index, state);
        const out: IRStreamEvent[] = [
          {
            type: "tool_call_start",
            toolIndex: state.toolIndex,
            id: asString(block.id) ?? generateId("toolu_"),
            name: asString(block.name) ?? "",
          },
        ];
        // Input is normally {} here and streamed as input_json_delta; a non-empty one is the whole input.
        if (isRecord(block.input) && Object.keys(block.input).length > 0) {
          state.sawArguments = true;
          out.push({
            type: "tool_call_delta",
            toolIndex: state.toolIndex,
            argumentsDelta: JSON.stringify(block.input),
          });
        }
        return out;
      }
      default:
        this.blocks.set(
          index,
          isServerToolBlock(block.type) ? { kind: "server", block, input: "" } : { kind: "skipped" },
        );
        return [];
    }
  }

  private blockDelta(index: number, delta: Record<string, unknown>): IRStreamEvent[] {
    const block = this.blocks.get(index);
    if (!block || block.kind === "skipped") return [];
    if (block.kind === "server") {
      if (delta.type === "input_json_delta") block.input += asString(delta.partial_json) ?? "";
      return [];
    }
    switch (delta.type) {
      case "text_delta": {
        const text = asString(delta.text);
        if (text && block.kind === "text") block.length += text.length;
        return text ? [{ type: "text_delta", text }] : [];
      }
      case "citations_delta": {
        const citation = asRecord(delta.citation);
        if (citation && block.kind === "text") block.citations.push(citation);
        return [];
      }
      case "thinking_delta": {
        const text = asString(delta.thinking);
        return text ? [{ type: "reasoning_delta", text }] : [];
      }
      case "signature_delta": {
        const signature = asString(delta.signature);
        return signature ? [{ type: "reasoning_signature", signature }] : [];
      }
      case "input_json_delta": {
        const json = asString(delta.partial_json);
        if (!json || block.kind !== "tool") return [];
        block.sawArguments = true;
        return [{ type: "tool_call_delta", toolIndex: block.toolIndex, argumentsDelta: json }];
      }
      default:
        return []; // future delta types
    }
  }

  private blockStop(index: number): IRStreamEvent[] {
    const block = this.blocks.get(index);
    if (block?.kind === "text" && block.citations.length > 0) {
      const citations = { sources: block.citations, length: block.length };
      block.citations = [];
      return [{ type: "text_delta", text: "", citations }];
    }
    if (block?.kind === "server") {
      this.blocks.set(index, { kind: "skipped" });
      const input = block.input ? (tryParseJson(block.input) ?? block.input) : undefined;
      return [{ type: "text_delta", text: renderServerToolBlock(block.block, input) }];
    }
    if (block?.kind === "tool" && !block.sawArguments) {
      block.sawArguments = true;
      return [{ type: "tool_call_delta", toolIndex: block.toolIndex, argumentsDelta: "{}" }];
    }
    return [];
  }
}
