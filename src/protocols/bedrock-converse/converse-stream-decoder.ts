import type { StreamDecoder } from "../../ir/codec.ts";
import { isRecord } from "../../ir/guards.ts";
import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { WireEvent } from "../../ir/stream-deframer.ts";
import type { IRStreamEvent } from "../../ir/types.ts";
import type { ConverseUsage } from "./converse-api.ts";
import { mapBedrockException } from "./map-bedrock-exception.ts";
import { fromConverseUsage, mapConverseStopReason } from "./map-converse-stop-reason.ts";

/**
 * ConverseStream events (one AWS event-stream message each: `:event-type` and its JSON payload)
 * → IR. messageStart, contentBlockStart (tool calls), contentBlockDelta (text, tool input,
 * reasoning), contentBlockStop, messageStop (the stop reason), metadata (usage, after the stop).
 * Usage and finish are emitted from end(), once the stream is known to be complete.
 */
export class ConverseStreamDecoder implements StreamDecoder {
  private started = false;
  private closed = false;
  private stopReason: string | undefined;
  private usage: ConverseUsage | undefined;
  private toolCalls = 0;
  /** contentBlockIndex → toolIndex of the tool call that block carries. */
  private readonly toolBlocks = new Map<number, number>();

  push(event: WireEvent): IRStreamEvent[] {
    if (this.closed) return [];
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return this.fail("api_error", "Bedrock sent a stream event that is not JSON");
    }
    const data = isRecord(payload) ? payload : {};
    if (event.event === "exception") {
      const { errorType } = mapBedrockException(String(data.type ?? ""));
      return this.fail(
        errorType,
        typeof data.message === "string" ? data.message : "Bedrock reported an error mid-stream",
      );
    }
    const out: IRStreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      out.push({ type: "message_start", id: generateId("msg_bdrk_"), model: "" });
    }
    const index = typeof data.contentBlockIndex === "number" ? data.contentBlockIndex : 0;
    switch (event.event) {
      case "contentBlockStart": {
        const toolUse = isRecord(data.start) ? data.start.toolUse : undefined;
        if (isRecord(toolUse) && typeof toolUse.toolUseId === "string" && typeof toolUse.name === "string") {
          const toolIndex = this.toolCalls++;
          this.toolBlocks.set(index, toolIndex);
          out.push({ type: "tool_call_start", toolIndex, id: toolUse.toolUseId, name: toolUse.name });
        }
        break;
      }
      case "contentBlockDelta":
        out.push(...this.fromDelta(index, isRecord(data.delta) ? data.delta : {}));
        break;
      case "messageStop":
        if (typeof data.stopReason === "string") this.stopReason = data.stopReason;
        break;
      // Recorded streams put metadata before or after messageStop: both wait for end().
      case "metadata":
        if (isRecord(data.usage)) this.usage = data.usage as ConverseUsage;
        break;
      default:
        break;
    }
    return out;
  }

  end(): IRStreamEvent[] {
    if (this.closed) return [];
    if (!this.started) return this.fail("api_error", "Bedrock returned an empty stream");
    return this.finish();
  }

  private fromDelta(index: number, delta: Record<string, unknown>): IRStreamEvent[] {
    if (typeof delta.text === "string")
      return delta.text === "" ? [] : [{ type: "text_delta", text: delta.text }];
    if (isRecord(delta.toolUse) && typeof delta.toolUse.input === "string") {
      const toolIndex = this.toolBlocks.get(index);
      return toolIndex === undefined
        ? []
        : [{ type: "tool_call_delta", toolIndex, argumentsDelta: delta.toolUse.input }];
    }
    const reasoning = delta.reasoningContent;
    if (isRecord(reasoning)) {
      if (typeof reasoning.text === "string") return [{ type: "reasoning_delta", text: reasoning.text }];
      if (typeof reasoning.signature === "string")
        return [{ type: "reasoning_signature", signature: reasoning.signature }];
      if (typeof reasoning.redactedContent === "string")
        return [{ type: "redacted_reasoning", data: reasoning.redactedContent }];
    }
    return [];
  }

  private finish(): IRStreamEvent[] {
    if (this.closed) return [];
    this.closed = true;
    const out: IRStreamEvent[] = [];
    if (this.usage) out.push({ type: "usage", usage: fromConverseUsage(this.usage) });
    if (this.stopReason === undefined) {
      out.push({
        type: "error",
        errorType: "api_error",
        message: "Bedrock stream ended without a stopReason",
      });
      return out;
    }
    out.push({
      type: "finish",
      reason: deriveStopReason(mapConverseStopReason(this.stopReason), this.toolCalls > 0),
    });
    return out;
  }

  private fail(errorType: string, message: string): IRStreamEvent[] {
    this.closed = true;
    return [{ type: "error", errorType, message }];
  }
}
