import type { StreamDecoder } from "../../ir/codec.ts";
import { asArray, asNumber, asRecord, asString, isRecord, tryParseJson } from "../../ir/guards.ts";
import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRStreamEvent } from "../../ir/types.ts";
import type { SSEEvent } from "../../sse/parser.ts";
import { findOpenAIUsage, fromOpenAIUsage } from "./convert-usage.ts";
import { fromOpenAIFinishReason, readMatchedStop } from "./map-finish-reason.ts";

interface ToolState {
  toolIndex: number;
  id?: string;
  name?: string;
  started: boolean;
  /** Argument text received before the call's name (emitted once it starts). */
  pending: string;
  sawArguments: boolean;
}

/**
 * OpenAI chat.completion.chunk stream → IR events, chunk by chunk. Reads the first choice only.
 * Tool calls are keyed by their `index` (position in the array when a server omits it); a call
 * starts once its name is known. [DONE] (or the end of the body) without a finish_reason ends the
 * turn as if the server had said "stop".
 */
export class OpenAIStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private sawToolCalls = false;
  private readonly tools = new Map<number, ToolState>();
  private nextToolIndex = 0;

  push(event: SSEEvent): IRStreamEvent[] {
    const data = event.data.trim();
    if (data === "") return [];
    if (data === "[DONE]") return this.finish();
    const chunk = tryParseJson(data);
    if (!isRecord(chunk)) return [];
    const out: IRStreamEvent[] = [];
    const error = asRecord(chunk.error);
    if (error) {
      this.finished = true;
      out.push({
        type: "error",
        errorType: asString(error.type) ?? "api_error",
        message: asString(error.message) ?? "upstream stream error",
      });
      return out;
    }
    if (!this.started) {
      this.started = true;
      const start: IRStreamEvent = {
        type: "message_start",
        id: asString(chunk.id) || generateId("chatcmpl-"),
        model: asString(chunk.model) ?? "",
      };
      const created = asNumber(chunk.created);
      if (created !== undefined) start.created = created;
      out.push(start);
    }
    const choice = asRecord(asArray(chunk.choices).find((c) => isRecord(c) && (c.index ?? 0) === 0));
    const delta = asRecord(choice?.delta);
    if (delta) this.readDelta(delta, out);
    const finishReason = choice?.finish_reason;
    const usage = fromOpenAIUsage(findOpenAIUsage(chunk));
    if (typeof finishReason === "string" && !this.finished) {
      this.flushPendingTools(out);
      this.finished = true;
      const matchedStop = choice ? readMatchedStop(choice) : undefined;
      const reason = deriveStopReason(
        matchedStop ? "stop_sequence" : fromOpenAIFinishReason(finishReason),
        this.sawToolCalls,
      );
      out.push(
        matchedStop && reason === "stop_sequence"
          ? { type: "finish", reason, stopSequence: matchedStop }
          : { type: "finish", reason },
      );
    }
    if (usage) out.push({ type: "usage", usage });
    return out;
  }

  end(): IRStreamEvent[] {
    return this.finish();
  }

  private finish(): IRStreamEvent[] {
    if (this.finished || !this.started) return [];
    const out: IRStreamEvent[] = [];
    this.flushPendingTools(out);
    this.finished = true;
    out.push({ type: "finish", reason: deriveStopReason("end_turn", this.sawToolCalls) });
    return out;
  }

  private readDelta(delta: Record<string, unknown>, out: IRStreamEvent[]): void {
    const reasoning = asString(delta.reasoning_content) ?? asString(delta.reasoning);
    if (reasoning) out.push({ type: "reasoning_delta", text: reasoning });
    // reasoning_details repeats the reasoning text (OpenRouter); only signatures and encrypted
    // blocks are taken from it.
    for (const detail of asArray(delta.reasoning_details)) {
      if (!isRecord(detail)) continue;
      if (detail.type === "reasoning.encrypted" && typeof detail.data === "string")
        out.push({ type: "redacted_reasoning", data: detail.data });
      else if (detail.type === "reasoning.text") {
        if (!reasoning && typeof detail.text === "string" && detail.text)
          out.push({ type: "reasoning_delta", text: detail.text });
        if (typeof detail.signature === "string" && detail.signature)
          out.push({ type: "reasoning_signature", signature: detail.signature });
      }
    }
    const content = asString(delta.content);
    if (content) out.push({ type: "text_delta", text: content });
    const refusal = asString(delta.refusal);
    if (refusal) out.push({ type: "text_delta", text: refusal });
    asArray(delta.tool_calls).forEach((raw, position) => {
      if (!isRecord(raw)) return;
      const index = asNumber(raw.index) ?? position;
      let state = this.tools.get(index);
      if (!state) {
        state = { toolIndex: this.nextToolIndex++, started: false, pending: "", sawArguments: false };
        this.tools.set(index, state);
      }
      const fn = asRecord(raw.function) ?? {};
      state.id ??= asString(raw.id) || undefined;
      state.name ??= asString(fn.name) || undefined;
      if (!state.started && state.name) this.startTool(state, out);
      const args = asString(fn.arguments) ?? (isRecord(fn.arguments) ? JSON.stringify(fn.arguments) : "");
      if (args) {
        state.sawArguments = true;
        if (state.started)
          out.push({ type: "tool_call_delta", toolIndex: state.toolIndex, argumentsDelta: args });
        else state.pending += args;
      }
    });
  }

  private startTool(state: ToolState, out: IRStreamEvent[]): void {
    state.started = true;
    this.sawToolCalls = true;
    state.id ??= generateId("call_");
    out.push({ type: "tool_call_start", toolIndex: state.toolIndex, id: state.id, name: state.name ?? "" });
    if (state.pending) {
      out.push({ type: "tool_call_delta", toolIndex: state.toolIndex, argumentsDelta: state.pending });
      state.pending = "";
    }
  }

  /** Before the finish: calls still waiting for a name start now, and empty calls get "{}". */
  private flushPendingTools(out: IRStreamEvent[]): void {
    for (const state of this.tools.values()) if (!state.started && state.name) this.startTool(state, out);
    this.closeEmptyCalls(out);
  }

  /**
   * A call that streamed no arguments by the finish gets "{}", so every consumer sees valid JSON.
   * Not earlier: some upstreams start every call before streaming any call's arguments.
   */
  private closeEmptyCalls(out: IRStreamEvent[]): void {
    for (const state of this.tools.values()) {
      if (state.started && !state.sawArguments) {
        state.sawArguments = true;
        out.push({ type: "tool_call_delta", toolIndex: state.toolIndex, argumentsDelta: "{}" });
      }
    }
  }
}
