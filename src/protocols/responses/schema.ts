/**
 * TypeBox schema of the OpenAI Responses request body (`POST /v1/responses`), as the official API
 * defines it (openai-node `ResponseCreateParamsBase`), plus the gateway's own controls
 * (`provider`, `fallbacks`, docs/request-controls.md).
 *
 * Same conventions as `../openai/schema.ts`: every object allows unknown properties (forwarded to
 * a Responses upstream); enumerations are closed only where the gateway acts on the value (roles,
 * item, part, tool and format types, reasoning effort); items, parts and tools of types the
 * gateway does not translate (built-in tools and their calls) are accepted as objects, so that a
 * same-protocol upstream still gets them, and refused by the translating decoder with their path.
 * Integers use TypeBox's plain Type.Integer.
 */
import { type Static, Type } from "@sinclair/typebox";
import { EFFORT_ORDER } from "../../ir/reasoning-levels.ts";
import {
  AnyObject,
  FallbacksControlSchema,
  Literals,
  Obj,
  Opt,
  OptNull,
  ProviderControlSchema,
  RequestControlProperties,
} from "../schema-helpers.ts";

/** An object whose `type` is none of `known`: the catch-all member of a typed union. */
const OtherTyped = (...known: string[]) =>
  Obj({ type: Type.String({ pattern: `^(?!(?:${known.join("|")})$)` }) });

// ---------- content parts ----------

export const ResponsesInputTextSchema = Obj({ type: Type.Literal("input_text"), text: Type.String() });

export const ResponsesInputImageSchema = Obj({
  type: Type.Literal("input_image"),
  /** A URL or a `data:` URL. */
  image_url: OptNull(Type.String()),
  file_id: OptNull(Type.String()),
  detail: OptNull(Type.String()),
});

export const ResponsesInputFileSchema = Obj({
  type: Type.Literal("input_file"),
  /** A `data:` URL (base64). */
  file_data: Opt(Type.String()),
  file_id: OptNull(Type.String()),
  file_url: Opt(Type.String()),
  filename: Opt(Type.String()),
});

export const ResponsesOutputTextSchema = Obj({
  type: Type.Literal("output_text"),
  text: Type.String(),
  annotations: Opt(Type.Array(AnyObject)),
});

export const ResponsesRefusalSchema = Obj({ type: Type.Literal("refusal"), refusal: Type.String() });

const MESSAGE_PART_TYPES = ["input_text", "input_image", "input_file", "output_text", "refusal"];

export const ResponsesMessagePartSchema = Type.Union([
  ResponsesInputTextSchema,
  ResponsesInputImageSchema,
  ResponsesInputFileSchema,
  ResponsesOutputTextSchema,
  ResponsesRefusalSchema,
  OtherTyped(...MESSAGE_PART_TYPES),
]);

/** What a tool's output may hold: text, or a list of text, image and file parts. */
export const ResponsesToolOutputSchema = Type.Union([
  Type.String(),
  Type.Array(Type.Union([ResponsesInputTextSchema, ResponsesInputImageSchema, ResponsesInputFileSchema])),
]);

// ---------- input items ----------

export const ResponsesMessageItemSchema = Obj({
  /** Optional in the API: an item with a `role` is a message. */
  type: Opt(Type.Literal("message")),
  role: Literals("user", "assistant", "system", "developer"),
  content: Type.Union([Type.String(), Type.Array(ResponsesMessagePartSchema)]),
  id: Opt(Type.String()),
  status: Opt(Type.String()),
});

export const ResponsesFunctionCallItemSchema = Obj({
  type: Type.Literal("function_call"),
  call_id: Type.String(),
  name: Type.String(),
  arguments: Type.String(),
  id: Opt(Type.String()),
  status: Opt(Type.String()),
});

export const ResponsesFunctionCallOutputItemSchema = Obj({
  type: Type.Literal("function_call_output"),
  call_id: Type.String(),
  output: ResponsesToolOutputSchema,
  id: OptNull(Type.String()),
  status: OptNull(Type.String()),
});

export const ResponsesCustomToolCallItemSchema = Obj({
  type: Type.Literal("custom_tool_call"),
  call_id: Type.String(),
  name: Type.String(),
  input: Type.String(),
  id: Opt(Type.String()),
});

export const ResponsesCustomToolCallOutputItemSchema = Obj({
  type: Type.Literal("custom_tool_call_output"),
  call_id: Type.String(),
  output: ResponsesToolOutputSchema,
  id: Opt(Type.String()),
});

export const ResponsesReasoningItemSchema = Obj({
  type: Type.Literal("reasoning"),
  id: Type.String(),
  summary: Type.Array(Obj({ type: Type.Literal("summary_text"), text: Type.String() })),
  encrypted_content: OptNull(Type.String()),
  /** Raw reasoning text parts (`reasoning_text`), from models that return them; Codex sends null. */
  content: OptNull(Type.Array(AnyObject)),
  status: Opt(Type.String()),
});

export const ResponsesItemReferenceSchema = Obj({
  type: Type.Literal("item_reference"),
  id: Type.String(),
});

const ITEM_TYPES = [
  "message",
  "function_call",
  "function_call_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "reasoning",
  "item_reference",
];

export const ResponsesInputItemSchema = Type.Union([
  ResponsesMessageItemSchema,
  ResponsesFunctionCallItemSchema,
  ResponsesFunctionCallOutputItemSchema,
  ResponsesCustomToolCallItemSchema,
  ResponsesCustomToolCallOutputItemSchema,
  ResponsesReasoningItemSchema,
  ResponsesItemReferenceSchema,
  /** Calls and outputs of built-in tools (web_search_call, computer_call, mcp_call, …). */
  OtherTyped(...ITEM_TYPES),
]);

// ---------- tools ----------

export const ResponsesFunctionToolSchema = Obj({
  type: Type.Literal("function"),
  name: Type.String(),
  description: OptNull(Type.String()),
  parameters: OptNull(AnyObject),
  strict: OptNull(Type.Boolean()),
});

export const ResponsesCustomToolSchema = Obj({
  type: Type.Literal("custom"),
  name: Type.String(),
  description: Opt(Type.String()),
  /** `{type:"text"}` or `{type:"grammar", syntax, definition}`. */
  format: Opt(Obj({ type: Type.String() })),
});

export const ResponsesToolSchema = Type.Union([
  ResponsesFunctionToolSchema,
  ResponsesCustomToolSchema,
  /** Built-in tools: web_search, file_search, code_interpreter, computer_use_preview, mcp, … */
  OtherTyped("function", "custom"),
]);

export const ResponsesToolChoiceSchema = Type.Union([
  Literals("none", "auto", "required"),
  Obj({ type: Type.Literal("function"), name: Type.String() }),
  Obj({ type: Type.Literal("custom"), name: Type.String() }),
  Obj({
    type: Type.Literal("allowed_tools"),
    mode: Literals("auto", "required"),
    tools: Type.Array(AnyObject),
  }),
  /** A built-in tool forced by type (`{type:"web_search_preview"}`, `{type:"mcp", server_label}`). */
  OtherTyped("function", "custom", "allowed_tools"),
]);

// ---------- text format and reasoning ----------

export const ResponsesTextFormatSchema = Type.Union([
  Obj({ type: Type.Literal("text") }),
  Obj({ type: Type.Literal("json_object") }),
  Obj({
    type: Type.Literal("json_schema"),
    name: Type.String(),
    schema: AnyObject,
    description: Opt(Type.String()),
    strict: OptNull(Type.Boolean()),
  }),
]);

/** Every level the gateway knows (the IR's order). */
export const ResponsesReasoningEffortSchema = Literals(...EFFORT_ORDER);

export const ResponsesReasoningSchema = Obj({
  effort: OptNull(ResponsesReasoningEffortSchema),
  summary: OptNull(Type.String()),
  /** Deprecated name of `summary`. */
  generate_summary: OptNull(Type.String()),
});

// ---------- the request ----------

export const ResponsesRequestSchema = Obj(
  {
    model: Type.String({ minLength: 1 }),
    input: Opt(Type.Union([Type.String(), Type.Array(ResponsesInputItemSchema)])),
    instructions: OptNull(Type.String()),
    tools: Opt(Type.Array(ResponsesToolSchema)),
    tool_choice: Opt(ResponsesToolChoiceSchema),
    parallel_tool_calls: OptNull(Type.Boolean()),
    max_output_tokens: OptNull(Type.Integer({ minimum: 1 })),
    max_tool_calls: OptNull(Type.Integer({ minimum: 1 })),
    temperature: OptNull(Type.Number({ minimum: 0, maximum: 2 })),
    top_p: OptNull(Type.Number({ minimum: 0, maximum: 1 })),
    top_logprobs: OptNull(Type.Integer({ minimum: 0, maximum: 20 })),
    reasoning: OptNull(ResponsesReasoningSchema),
    text: Opt(Obj({ format: Opt(ResponsesTextFormatSchema), verbosity: OptNull(Type.String()) })),
    stream: OptNull(Type.Boolean()),
    stream_options: OptNull(Obj({ include_obfuscation: Opt(Type.Boolean()) })),
    store: OptNull(Type.Boolean()),
    include: OptNull(Type.Array(Type.String())),
    metadata: OptNull(Type.Record(Type.String(), Type.String())),
    previous_response_id: OptNull(Type.String()),
    prompt_cache_key: OptNull(Type.String()),
    prompt_cache_retention: OptNull(Literals("in_memory", "24h")),
    safety_identifier: OptNull(Type.String()),
    user: Opt(Type.String()),
    truncation: OptNull(Literals("auto", "disabled")),
    service_tier: OptNull(Type.String()),
    background: OptNull(Type.Boolean()),
    provider: Opt(ProviderControlSchema),
    fallbacks: Opt(FallbacksControlSchema),
    ...RequestControlProperties,
  },
  "An OpenAI Responses request. Unknown fields are kept and forwarded.",
);

export type ResponsesRequest = Static<typeof ResponsesRequestSchema>;
export type ResponsesInputItem = Static<typeof ResponsesInputItemSchema>;
export type ResponsesMessagePart = Static<typeof ResponsesMessagePartSchema>;
export type ResponsesTool = Static<typeof ResponsesToolSchema>;
export type ResponsesToolChoice = Static<typeof ResponsesToolChoiceSchema>;
