import type { StreamDecoder } from "../../ir/codec.ts";
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  isRecord,
  type JsonObject,
  tryParseJson,
} from "../../ir/guards.ts";
import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRStreamEvent } from "../../ir/types.ts";
import type { SSEEvent } from "../../sse/parser.ts";
import { fromResponsesUsage } from "./from-responses-usage.ts";
import { fromResponsesStatus } from "./map-responses-status.ts";
import { readReasoningItem } from "./read-reasoning-item.ts";

interface CallState {
  toolIndex: number;
  /** A custom_tool_call (freeform input) rather than a function_call. */
  custom: boolean;
  /** Function arguments already emitted. */
  sawArguments: boolean;
  /** Freeform input so far: it goes out whole, as {"input": …}, once the item is done. */
  input: string;
  done: boolean;
}

/**
 * Responses API SSE (provider side) → IR events. The event type is read from the JSON `type`
 * (the `event:` name when it is missing), so streams without `event:` lines or `sequence_number`
 * (before mid-2025) decode the same. Items are keyed by `output_index`. Text, reasoning summaries
 * (raw `reasoning_text` from xAI) and function arguments stream as they come; a freeform
 * (custom_tool_call) input is buffered and sent as one {"input": …} delta; a reasoning item's
 * encrypted content becomes a reasoning_signature (the `openai:` stash) when the item is done.
 * `output_item.done` also fills in what a server did not stream in deltas. Built-in tool items
 * (web search, MCP, apply_patch) ran upstream and are ignored. response.completed/incomplete give
 * usage and the finish; response.failed and `error` give an error event.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private refused = false;
  private nextToolIndex = 0;
  private readonly calls = new Map<string, CallState>();
  /** Items whose text (answer or reasoning) came in deltas, so their done event adds nothing. */
  private readonly streamed = new Set<string>();
  /** The summary part reasoning text was last emitted for, until a signature or other output closes the block. */
  private reasoningPart: string | undefined;

  push(event: SSEEvent): IRStreamEvent[] {
    const data = event.data.trim();
    if (data === "" || data === "[DONE]" || this.finished) return [];
    const payload = asRecord(tryParseJson(data));
    if (!payload) return [];
    const type = asString(payload.type) ?? event.event;
    if (type === "error")
      return this.fail(asRecord(payload.error) ?? { code: payload.code, message: payload.message });
    if (type === "response.failed") return this.fail(asRecord(asRecord(payload.response)?.error) ?? {});
    const out: IRStreamEvent[] = [];
    this.start(asRecord(payload.response), out);
    const key = itemKey(payload);
    switch (type) {
      case "response.output_item.added":
        this.addItem(asRecord(payload.item), key, out);
        break;
      case "response.output_item.done":
        this.finishItem(asRecord(payload.item), key, out);
        break;
      case "response.output_text.delta":
        this.text(asString(payload.delta), key, out);
        break;
      case "response.refusal.delta":
        // A refusal reads as text, and the turn ends with stop reason refusal.
        this.refused = true;
        this.text(asString(payload.delta), key, out);
        break;
      case "response.reasoning_summary_text.delta":
      case "response.reasoning_text.delta": {
        const part = asNumber(payload.summary_index) ?? asNumber(payload.content_index) ?? 0;
        this.reasoning(asString(payload.delta), key, `${key}:${part}`, out);
        break;
      }
      case "response.function_call_arguments.delta": {
        const call = this.calls.get(key);
        const delta = asString(payload.delta);
        if (!call || call.custom || call.done || !delta) break;
        call.sawArguments = true;
        out.push({ type: "tool_call_delta", toolIndex: call.toolIndex, argumentsDelta: delta });
        break;
      }
      case "response.custom_tool_call_input.delta": {
        const call = this.calls.get(key);
        if (call?.custom) call.input += asString(payload.delta) ?? "";
        break;
      }
      case "response.completed":
      case "response.incomplete":
        this.complete(asRecord(payload.response), out);
        break;
    }
    return out;
  }

  end(): IRStreamEvent[] {
    if (this.finished || !this.started) return [];
    // Every Responses stream ends with a terminal event; without one the answer was cut off.
    return this.fail({ type: "api_error", message: "Responses stream ended before its terminal event" });
  }

  private start(response: JsonObject | undefined, out: IRStreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    const start: IRStreamEvent = {
      type: "message_start",
      id: asString(response?.id) || generateId("resp_"),
      model: asString(response?.model) ?? "",
    };
    const created = asNumber(response?.created_at);
    if (created !== undefined) start.created = created;
    out.push(start);
  }

  private addItem(item: JsonObject | undefined, key: string, out: IRStreamEvent[]): void {
    if (item?.type === "function_call" || item?.type === "custom_tool_call") this.startCall(item, key, out);
  }

  private finishItem(item: JsonObject | undefined, key: string, out: IRStreamEvent[]): void {
    switch (item?.type) {
      case "reasoning": {
        const { text, signature } = readReasoningItem(item);
        if (!this.streamed.has(key)) this.reasoning(text, key, `${key}:done`, out);
        if (signature) out.push({ type: "reasoning_signature", signature });
        // The item is complete: the next reasoning text is a block of its own.
        this.reasoningPart = undefined;
        break;
      }
      case "message":
        if (this.streamed.has(key)) break;
        for (const content of asArray(item.content)) {
          if (!isRecord(content)) continue;
          if (content.type === "output_text") this.text(asString(content.text), key, out);
          else if (content.type === "refusal") {
            this.refused = true;
            this.text(asString(content.refusal), key, out);
          }
        }
        break;
      case "function_call":
      case "custom_tool_call":
        this.startCall(item, key, out);
        this.closeCall(this.calls.get(key), item, out);
        break;
    }
  }

  private text(text: string | undefined, key: string, out: IRStreamEvent[]): void {
    if (!text) return;
    this.streamed.add(key);
    this.reasoningPart = undefined;
    out.push({ type: "text_delta", text });
  }

  /** Summary parts, and reasoning items left unsigned, are one thinking block: a blank line keeps them apart. */
  private reasoning(text: string | undefined, key: string, part: string, out: IRStreamEvent[]): void {
    if (!text) return;
    this.streamed.add(key);
    const separator = this.reasoningPart !== undefined && this.reasoningPart !== part ? "\n\n" : "";
    this.reasoningPart = part;
    out.push({ type: "reasoning_delta", text: separator + text });
  }

  private startCall(item: JsonObject, key: string, out: IRStreamEvent[]): void {
    if (this.calls.has(key)) return;
    const call: CallState = {
      toolIndex: this.nextToolIndex++,
      custom: item.type === "custom_tool_call",
      sawArguments: false,
      input: "",
      done: false,
    };
    this.calls.set(key, call);
    this.reasoningPart = undefined;
    out.push({
      type: "tool_call_start",
      toolIndex: call.toolIndex,
      id: asString(item.call_id) || generateId("call_"),
      name: asString(item.name) ?? "",
    });
    // Servers that announce a call with its arguments already in place stream no deltas for them.
    const args = asString(item.arguments);
    if (!call.custom && args) {
      call.sawArguments = true;
      out.push({ type: "tool_call_delta", toolIndex: call.toolIndex, argumentsDelta: args });
    }
  }

  /** A freeform input goes out whole; a call that streamed no arguments gets the item's, or "{}". */
  private closeCall(call: CallState | undefined, item: JsonObject | undefined, out: IRStreamEvent[]): void {
    if (!call || call.done) return;
    call.done = true;
    let args: string | undefined;
    if (call.custom) args = JSON.stringify({ input: asString(item?.input) || call.input });
    else if (!call.sawArguments) args = asString(item?.arguments)?.trim() || "{}";
    if (args) out.push({ type: "tool_call_delta", toolIndex: call.toolIndex, argumentsDelta: args });
  }

  private complete(response: JsonObject | undefined, out: IRStreamEvent[]): void {
    for (const call of this.calls.values()) this.closeCall(call, undefined, out);
    const usage = fromResponsesUsage(response?.usage);
    if (usage) out.push({ type: "usage", usage });
    this.finished = true;
    out.push({
      type: "finish",
      reason: this.refused ? "refusal" : deriveStopReason(fromResponsesStatus(response), this.calls.size > 0),
    });
  }

  private fail(error: JsonObject): IRStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    return [
      {
        type: "error",
        errorType: asString(error.type) ?? asString(error.code) ?? "api_error",
        message: asString(error.message) ?? "upstream stream error",
      },
    ];
  }
}

/** Items are keyed by output_index (on every item event), else by their id. */
function itemKey(payload: JsonObject): string {
  const index = asNumber(payload.output_index);
  if (index !== undefined) return `#${index}`;
  return asString(payload.item_id) ?? asString(asRecord(payload.item)?.id) ?? "#0";
}
