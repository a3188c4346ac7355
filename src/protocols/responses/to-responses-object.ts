import { asRecord } from "../../ir/guards.ts";
import { generateId } from "../../ir/ids.ts";
import type { IRUsage } from "../../ir/types.ts";
import type { ResponsesItem } from "./to-responses-output-items.ts";
import { toResponsesUsage } from "./to-responses-usage.ts";

/** What varies between one Responses `response` object and the next (in a stream: created → terminal). */
export interface ResponseState {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  status: "in_progress" | "completed" | "incomplete" | "failed";
  output: ResponsesItem[];
  /** null until the response is over, as OpenAI sends it. */
  usage: Partial<IRUsage> | null;
  incompleteReason?: string;
  error?: { code: string; message: string };
  serviceTier?: string;
}

/** The response id a client sees: the upstream's when it is a Responses id, else a new one. */
export const toResponseId = (upstreamId: string | undefined): string =>
  upstreamId?.startsWith("resp_") ? upstreamId : generateId("resp_");

/**
 * The whole `response` object, key for key as OpenAI returns it: the state, and the request's
 * settings echoed back from the client's body with OpenAI's defaults where the client sent none.
 * The JSON answer and every response-carrying stream event are built here, so they agree.
 */
export function toResponsesObject(
  state: ResponseState,
  requestedModel: string,
  /** The client's body, or just its settings (`responsesSettingsOf`): `input` is never read. */
  echoed: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const body = echoed ?? {};
  const reasoning = asRecord(body.reasoning);
  const text = asRecord(body.text);
  return {
    id: state.id,
    object: "response",
    created_at: state.createdAt,
    status: state.status,
    background: body.background ?? false,
    completed_at: state.status === "completed" ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: state.incompleteReason ? { reason: state.incompleteReason } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    model: requestedModel,
    output: state.output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    prompt_cache_retention: body.prompt_cache_retention ?? null,
    reasoning: {
      ...reasoning,
      effort: reasoning?.effort ?? null,
      summary: reasoning?.summary ?? reasoning?.generate_summary ?? null,
    },
    safety_identifier: body.safety_identifier ?? null,
    service_tier: serviceTier(state, body.service_tier),
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: text?.format ?? { type: "text" }, verbosity: text?.verbosity ?? "medium" },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_logprobs: body.top_logprobs ?? 0,
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? "disabled",
    usage: state.usage ? toResponsesUsage(state.usage) : null,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
}

/** As OpenAI: the tier asked for ("auto" by default) while in progress, the tier that served it at the end. */
function serviceTier(state: ResponseState, asked: unknown): unknown {
  if (state.status === "in_progress") return asked ?? "auto";
  return state.serviceTier ?? (asked === "auto" ? undefined : asked) ?? "default";
}

/**
 * The client's body without its `input`: what `toResponsesObject` echoes, kept by a stream encoder
 * for the stream's life instead of the whole request (whose input can be most of a megabyte).
 */
export function responsesSettingsOf(body: Record<string, unknown>): Record<string, unknown> {
  const { input: _input, ...settings } = body;
  return settings;
}
