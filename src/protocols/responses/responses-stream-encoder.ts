import type { RequestOrigin, StreamEncoder } from "../../ir/codec.ts";
import { tryParseJson } from "../../ir/guards.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRStopReason, IRStreamEvent, IRUsage } from "../../ir/types.ts";
import { encodeSSE } from "../../sse/encoder.ts";
import { CustomToolInputReader, readCustomToolInput } from "./custom-tool-input.ts";
import { toEncryptedContent } from "./encrypted-content.ts";
import { errorEventFields, toResponsesErrorCode } from "./responses-error-event.ts";
import {
  type ResponseState,
  responsesSettingsOf,
  toResponseId,
  toResponsesObject,
} from "./to-responses-object.ts";
import {
  customToolCallItem,
  customToolNames,
  functionCallItem,
  type ItemStatus,
  messageItem,
  newItemId,
  outputTextPart,
  type ResponsesItem,
  reasoningItem,
  summaryTextPart,
} from "./to-responses-output-items.ts";
import { toResponsesStatus } from "./to-responses-status.ts";

export interface ResponsesStreamEncoderOptions {
  requestedModel: string;
  origin?: RequestOrigin;
}

/** The output item being streamed. `index` is its output_index. */
type OpenItem =
  | { kind: "message"; id: string; index: number; text: string }
  | {
      kind: "reasoning";
      id: string;
      index: number;
      text: string;
      summaryOpen: boolean;
      signature?: string;
      redactedData?: string;
    }
  | { kind: "call"; id: string; index: number; toolIndex: number; callId: string; name: string; args: string }
  | {
      kind: "custom";
      id: string;
      index: number;
      toolIndex: number;
      callId: string;
      name: string;
      args: string;
      /** Raw input sent so far. */
      input: string;
      reader: CustomToolInputReader;
    };

/** A tool call that started while another call's arguments were still arriving. */
interface QueuedTool {
  toolIndex: number;
  callId: string;
  name: string;
  args: string;
}

const isCompleteJson = (text: string): boolean => text !== "" && tryParseJson(text) !== undefined;

/**
 * IR events → Responses API SSE (`event: <type>` + `data: <json>`, no [DONE]), the grammar of
 * OpenAI's own streams (recorded in test/fixtures/openai-responses): response.created and
 * response.in_progress first; then output items strictly one after another, each announced by
 * response.output_item.added and closed by response.output_item.done with its sub-events in
 * between; then exactly one terminal event carrying the whole response object, built by
 * to-responses-object.ts as the JSON answer is. `sequence_number` counts every event from 0.
 *
 * An item opens when output of its kind starts and closes when another item starts or the turn
 * finishes. As in the Anthropic encoder, a tool call that starts while the open call's arguments
 * are not complete JSON waits (arguments buffered) until the calls before it are closed. The
 * terminal event goes out at end(), after the upstream's last usage. An IR error (or an upstream
 * that ends without finishing) → `error`, then response.failed.
 *
 * Custom tool calls stream their raw input: the provider's `{"input":"…"}` arguments are decoded
 * incrementally (custom-tool-input.ts); arguments of another shape are sent in one delta at the end.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  private id = toResponseId(undefined);
  private createdAt = Math.floor(Date.now() / 1000);
  private sequence = 0;
  private started = false;
  private finished = false;
  private failed = false;
  private open: OpenItem | null = null;
  private readonly queued: QueuedTool[] = [];
  /** Items closed so far, as sent in output_item.done. */
  private readonly output: ResponsesItem[] = [];
  private toolCalls = 0;
  private stopReason: IRStopReason = "end_turn";
  private usage: Partial<IRUsage> = {};
  private readonly showReasoning: boolean;
  private readonly customTools: Set<string>;

  private readonly requestedModel: string;
  /** The settings the response object echoes (the client's body without its input). */
  private readonly echoed: Record<string, unknown> | undefined;
  private readonly onAnswer: ((answer: Record<string, unknown>) => void) | undefined;

  // Only what the stream needs is kept, not the request: a stream lasts minutes, and holding the
  // decoded request and its input would keep the whole conversation alive that long
  // (docs/performance.md, "What a stream holds").
  constructor(options: ResponsesStreamEncoderOptions) {
    this.requestedModel = options.requestedModel;
    // Reasoning items only for a client that asked for reasoning, as OpenAI does.
    this.showReasoning = options.origin?.request.reasoning !== undefined;
    this.customTools = customToolNames(options.origin?.request);
    this.echoed = options.origin && responsesSettingsOf(options.origin.body);
    this.onAnswer = options.origin?.onAnswer;
  }

  push(event: IRStreamEvent): string {
    if (this.failed) return "";
    if (event.type === "usage") {
      this.usage = { ...this.usage, ...event.usage };
      return "";
    }
    if (this.finished) return "";
    switch (event.type) {
      case "message_start":
        if (!this.started) {
          if (event.id) this.id = toResponseId(event.id);
          if (event.created) this.createdAt = event.created;
        }
        if (event.usage) this.usage = { ...this.usage, ...event.usage };
        return this.start();
      case "text_delta": {
        if (!event.text) return this.start();
        const out = this.start() + this.ensureMessage();
        const item = this.open as Extract<OpenItem, { kind: "message" }>;
        item.text += event.text;
        return (
          out +
          this.event("response.output_text.delta", {
            item_id: item.id,
            output_index: item.index,
            content_index: 0,
            delta: event.text,
            logprobs: [],
          })
        );
      }
      case "reasoning_delta": {
        if (!this.showReasoning || !event.text) return this.start();
        let out = this.start() + this.ensureReasoning();
        const item = this.open as Extract<OpenItem, { kind: "reasoning" }>;
        if (!item.summaryOpen) {
          item.summaryOpen = true;
          out += this.event("response.reasoning_summary_part.added", {
            item_id: item.id,
            output_index: item.index,
            summary_index: 0,
            part: summaryTextPart(""),
          });
        }
        item.text += event.text;
        return (
          out +
          this.event("response.reasoning_summary_text.delta", {
            item_id: item.id,
            output_index: item.index,
            summary_index: 0,
            delta: event.text,
          })
        );
      }
      case "reasoning_signature": {
        if (!this.showReasoning) return this.start();
        const out = this.start() + this.ensureReasoning();
        const item = this.open as Extract<OpenItem, { kind: "reasoning" }>;
        item.signature = (item.signature ?? "") + event.signature;
        // A signature completes its reasoning block: the next reasoning text is a new item.
        return out + this.closeOpen();
      }
      case "redacted_reasoning": {
        if (!this.showReasoning) return this.start();
        const out = this.start() + this.closeOpen() + this.openReasoning(event.data);
        return out + this.closeOpen();
      }
      case "tool_call_start": {
        const out = this.start();
        this.toolCalls++;
        const open = this.open;
        if ((open?.kind === "call" || open?.kind === "custom") && !isCompleteJson(open.args)) {
          this.queued.push({ toolIndex: event.toolIndex, callId: event.id, name: event.name, args: "" });
          return out;
        }
        return out + this.closeOpen() + this.openTool(event.toolIndex, event.id, event.name, "");
      }
      case "tool_call_delta": {
        if (!event.argumentsDelta) return "";
        const open = this.open;
        if ((open?.kind === "call" || open?.kind === "custom") && open.toolIndex === event.toolIndex)
          return this.appendArguments(event.argumentsDelta);
        const queued = this.queued.find((tool) => tool.toolIndex === event.toolIndex);
        if (queued) queued.args += event.argumentsDelta;
        // A delta for an item already done cannot be delivered: output items do not reopen.
        return "";
      }
      case "finish": {
        this.stopReason = deriveStopReason(event.reason, this.toolCalls > 0);
        this.finished = true;
        const truncated = toResponsesStatus(this.stopReason).status === "incomplete";
        return this.start() + this.closeOpen(truncated ? "incomplete" : "completed");
      }
      case "error":
        return this.fail(event.errorType, event.message);
    }
  }

  end(): string {
    if (this.failed) return "";
    // The upstream ended without finishing the turn: not a success.
    if (!this.finished)
      return this.fail("api_error", "upstream stream ended before the response was complete");
    const outcome = toResponsesStatus(this.stopReason);
    const response = this.responseObject({
      status: outcome.status,
      output: this.output,
      usage: this.usage,
      incompleteReason: outcome.status === "incomplete" ? outcome.reason : undefined,
    });
    const type = outcome.status === "completed" ? "response.completed" : "response.incomplete";
    this.onAnswer?.(response);
    return this.event(type, { response });
  }

  // ---------- lifecycle ----------

  private start(): string {
    if (this.started) return "";
    this.started = true;
    const response = this.responseObject({ status: "in_progress", output: [], usage: null });
    return this.event("response.created", { response }) + this.event("response.in_progress", { response });
  }

  /**
   * The stream fails: `error`, then response.failed with the items done so far and the one cut
   * short (responses-error-event.ts has the shape, shared with the pass-through).
   */
  private fail(errorType: string, message: string): string {
    const out = this.start();
    this.failed = true;
    const code = toResponsesErrorCode(errorType);
    const output = this.open ? [...this.output, this.itemValue(this.open, "incomplete")] : this.output;
    this.open = null;
    this.queued.length = 0;
    const response = this.responseObject({ status: "failed", output, usage: null, error: { code, message } });
    return (
      out +
      this.event("error", errorEventFields(errorType, message)) +
      this.event("response.failed", { response })
    );
  }

  private responseObject(state: Omit<ResponseState, "id" | "createdAt">): Record<string, unknown> {
    return toResponsesObject(
      { id: this.id, createdAt: this.createdAt, ...state },
      this.requestedModel,
      this.echoed,
    );
  }

  // ---------- opening items ----------

  private ensureMessage(): string {
    if (this.open?.kind === "message") return "";
    const out = this.closeOpen();
    const item: OpenItem = { kind: "message", id: newItemId.message(), index: this.output.length, text: "" };
    this.open = item;
    return (
      out +
      this.event("response.output_item.added", {
        output_index: item.index,
        item: messageItem(item.id, "in_progress", []),
      }) +
      this.event("response.content_part.added", {
        item_id: item.id,
        output_index: item.index,
        content_index: 0,
        part: outputTextPart(""),
      })
    );
  }

  private ensureReasoning(): string {
    if (this.open?.kind === "reasoning") return "";
    return this.closeOpen() + this.openReasoning();
  }

  private openReasoning(redactedData?: string): string {
    const item: OpenItem = {
      kind: "reasoning",
      id: newItemId.reasoning(),
      index: this.output.length,
      text: "",
      summaryOpen: false,
    };
    if (redactedData !== undefined) item.redactedData = redactedData;
    this.open = item;
    return this.event("response.output_item.added", {
      output_index: item.index,
      item: reasoningItem(item.id, "", undefined),
    });
  }

  private openTool(toolIndex: number, callId: string, name: string, bufferedArgs: string): string {
    const index = this.output.length;
    const item: OpenItem = this.customTools.has(name)
      ? {
          kind: "custom",
          id: newItemId.customToolCall(),
          index,
          toolIndex,
          callId,
          name,
          args: "",
          input: "",
          reader: new CustomToolInputReader(),
        }
      : { kind: "call", id: newItemId.functionCall(), index, toolIndex, callId, name, args: "" };
    this.open = item;
    const out = this.event("response.output_item.added", {
      output_index: index,
      item: this.itemValue(item, "in_progress"),
    });
    return bufferedArgs ? out + this.appendArguments(bufferedArgs) : out;
  }

  private appendArguments(delta: string): string {
    const item = this.open;
    if (item?.kind === "call") {
      item.args += delta;
      return this.event("response.function_call_arguments.delta", {
        item_id: item.id,
        output_index: item.index,
        delta,
      });
    }
    if (item?.kind === "custom") {
      item.args += delta;
      return this.customInputDelta(item, item.reader.push(delta));
    }
    return "";
  }

  private customInputDelta(item: Extract<OpenItem, { kind: "custom" }>, text: string): string {
    if (!text) return "";
    item.input += text;
    return this.event("response.custom_tool_call_input.delta", {
      item_id: item.id,
      output_index: item.index,
      delta: text,
    });
  }

  // ---------- closing items ----------

  /**
   * Closes the open item, then every queued tool call in turn. `lastStatus` is the status of the
   * last item closed (`incomplete` when the turn was cut short).
   */
  private closeOpen(lastStatus: ItemStatus = "completed"): string {
    let out = "";
    while (this.open) {
      const item = this.open;
      this.open = null;
      out += this.closeItem(item, this.queued.length === 0 ? lastStatus : "completed");
      const next = this.queued.shift();
      if (next) out += this.openTool(next.toolIndex, next.callId, next.name, next.args);
    }
    return out;
  }

  private closeItem(item: OpenItem, status: ItemStatus): string {
    let out = "";
    const at = { item_id: item.id, output_index: item.index };
    switch (item.kind) {
      case "message":
        out +=
          this.event("response.output_text.done", {
            ...at,
            content_index: 0,
            text: item.text,
            logprobs: [],
          }) +
          this.event("response.content_part.done", {
            ...at,
            content_index: 0,
            part: outputTextPart(item.text),
          });
        break;
      case "reasoning":
        if (item.summaryOpen)
          out +=
            this.event("response.reasoning_summary_text.done", { ...at, summary_index: 0, text: item.text }) +
            this.event("response.reasoning_summary_part.done", {
              ...at,
              summary_index: 0,
              part: summaryTextPart(item.text),
            });
        break;
      case "call":
        out += this.event("response.function_call_arguments.done", { ...at, arguments: item.args });
        break;
      case "custom": {
        const final = readCustomToolInput(item.args);
        // The deltas must add up to the final input: send what the incremental decoder held back.
        if (final.startsWith(item.input)) out += this.customInputDelta(item, final.slice(item.input.length));
        out += this.event("response.custom_tool_call_input.done", { ...at, input: item.input });
        break;
      }
    }
    const value = this.itemValue(item, status);
    this.output.push(value);
    return out + this.event("response.output_item.done", { output_index: item.index, item: value });
  }

  /** The item as the client sees it in output_item events and the response object. */
  private itemValue(item: OpenItem, status: ItemStatus): ResponsesItem {
    switch (item.kind) {
      case "message":
        return messageItem(item.id, status, status === "in_progress" ? [] : [outputTextPart(item.text)]);
      case "reasoning": {
        const redacted = item.redactedData !== undefined;
        const encrypted = toEncryptedContent({
          type: "reasoning",
          text: item.text,
          ...(item.signature !== undefined ? { signature: item.signature } : {}),
          ...(redacted ? { redacted, data: item.redactedData } : {}),
        });
        return reasoningItem(item.id, item.text, encrypted);
      }
      case "call":
        return functionCallItem(item.id, status, {
          callId: item.callId,
          name: item.name,
          arguments: item.args,
        });
      case "custom":
        return customToolCallItem(item.id, status, {
          callId: item.callId,
          name: item.name,
          input: item.input,
        });
    }
  }

  private event(type: string, fields: Record<string, unknown>): string {
    return encodeSSE(JSON.stringify({ type, sequence_number: this.sequence++, ...fields }), type);
  }
}
