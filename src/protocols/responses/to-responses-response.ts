import type { RequestOrigin } from "../../ir/codec.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRResponse } from "../../ir/types.ts";
import { readCustomToolInput } from "./custom-tool-input.ts";
import { toEncryptedContent } from "./encrypted-content.ts";
import { toResponseId, toResponsesObject } from "./to-responses-object.ts";
import {
  customToolCallItem,
  customToolNames,
  functionCallItem,
  markIncomplete,
  messageItem,
  newItemId,
  outputTextPart,
  type ResponsesItem,
  reasoningItem,
  refusalPart,
} from "./to-responses-output-items.ts";
import { toResponsesStatus } from "./to-responses-status.ts";

/** Service tiers a Responses client knows; another protocol's (Anthropic "standard") is not echoed. */
const OPENAI_TIERS = new Set(["auto", "default", "flex", "scale", "priority"]);

/** IR → the Responses `response` object (non-streaming answer). */
export function toResponsesResponse(
  response: IRResponse,
  requestedModel: string,
  origin?: RequestOrigin,
): Record<string, unknown> {
  const output = toResponsesOutput(response, origin);
  const calls = response.parts.some((p) => p.type === "tool_call");
  const outcome = toResponsesStatus(deriveStopReason(response.stopReason, calls));
  if (outcome.status === "incomplete") markIncomplete(output.at(-1));
  return toResponsesObject(
    {
      id: toResponseId(response.id),
      createdAt: response.created ?? Math.floor(Date.now() / 1000),
      status: outcome.status,
      output,
      usage: response.usage,
      incompleteReason: outcome.status === "incomplete" ? outcome.reason : undefined,
      serviceTier:
        response.serviceTier && OPENAI_TIERS.has(response.serviceTier) ? response.serviceTier : undefined,
    },
    requestedModel,
    origin?.body,
  );
}

/**
 * IR parts → output items, grouped as the stream encoder groups them: consecutive text is one
 * message item; each reasoning block is a reasoning item (only when the client asked for
 * reasoning); each tool call a function_call, or a custom_tool_call for the request's custom
 * tools. A refusal joins the last message item, or is one of its own.
 */
function toResponsesOutput(response: IRResponse, origin: RequestOrigin | undefined): ResponsesItem[] {
  const showReasoning = origin?.request.reasoning !== undefined;
  const custom = customToolNames(origin?.request);
  const output: ResponsesItem[] = [];
  let text = "";
  const flushText = () => {
    if (text) output.push(messageItem(newItemId.message(), "completed", [outputTextPart(text)]));
    text = "";
  };
  for (const part of response.parts) {
    if (part.type === "text") text += part.text;
    else if (part.type === "reasoning" && showReasoning) {
      const encrypted = toEncryptedContent(part);
      const summary = part.redacted ? "" : part.text;
      if (!summary && encrypted === undefined) continue;
      flushText();
      output.push(reasoningItem(newItemId.reasoning(), summary, encrypted));
    } else if (part.type === "tool_call") {
      flushText();
      const call = { callId: part.id, name: part.name };
      output.push(
        custom.has(part.name)
          ? customToolCallItem(newItemId.customToolCall(), "completed", {
              ...call,
              input: readCustomToolInput(part.arguments),
            })
          : functionCallItem(newItemId.functionCall(), "completed", { ...call, arguments: part.arguments }),
      );
    }
  }
  flushText();
  if (response.refusal) addRefusal(output, response.refusal);
  return output;
}

/**
 * The refusal joins the last message item, or is one of its own. Decoders also carry its text as
 * answer text (what a client without a refusal field reads): that text, at the end of the
 * message, is the refusal part instead of being repeated as output_text.
 */
function addRefusal(output: ResponsesItem[], refusal: string): void {
  const last = output.at(-1);
  if (last?.type !== "message") {
    output.push(messageItem(newItemId.message(), "completed", [refusalPart(refusal)]));
    return;
  }
  const content = last.content as ResponsesItem[];
  const text = content.at(-1);
  if (text?.type === "output_text" && typeof text.text === "string" && text.text.endsWith(refusal)) {
    const answer = text.text.slice(0, -refusal.length);
    if (answer) text.text = answer;
    else content.pop();
  }
  content.push(refusalPart(refusal));
}
