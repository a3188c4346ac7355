/**
 * TypeBox schema of the OpenAI Chat Completions request body, as the official API defines it
 * (openai-node `ChatCompletionCreateParamsBase`), plus the gateway's own controls (docs/request-controls.md).
 *
 * Every object allows unknown properties: the gateway forwards fields it does not know
 * (forward compatibility, provider extensions such as `reasoning_content`). Enumerations are
 * closed only where the gateway acts on the value (roles, part and tool types, reasoning_effort);
 * knobs that providers extend (`service_tier`, image `detail`, audio `format`) are plain strings.
 * Integers use TypeBox's plain Type.Integer: Elysia's t.Integer coerces and slows every request.
 */
import { type Static, Type } from "@sinclair/typebox";
import { EFFORT_ORDER } from "../../ir/reasoning-levels.ts";
import {
  AnyObject,
  FallbacksControlSchema,
  Literals,
  Nullable,
  Obj,
  Opt,
  OptNull,
  ProviderControlSchema,
  RequestControlProperties,
} from "../schema-helpers.ts";

// ---------- content parts ----------

const PromptCacheBreakpoint = Obj({ mode: Type.String(), ttl: Opt(Type.String()) });

export const OpenAITextPartSchema = Obj({
  type: Type.Literal("text"),
  text: Type.String(),
  prompt_cache_breakpoint: Opt(PromptCacheBreakpoint),
});

export const OpenAIImagePartSchema = Obj({
  type: Type.Literal("image_url"),
  image_url: Obj({ url: Type.String(), detail: Opt(Type.String()) }),
  prompt_cache_breakpoint: Opt(PromptCacheBreakpoint),
});

export const OpenAIInputAudioPartSchema = Obj({
  type: Type.Literal("input_audio"),
  input_audio: Obj({ data: Type.String(), format: Type.String() }),
  prompt_cache_breakpoint: Opt(PromptCacheBreakpoint),
});

export const OpenAIFilePartSchema = Obj({
  type: Type.Literal("file"),
  file: Obj({ file_data: Opt(Type.String()), file_id: Opt(Type.String()), filename: Opt(Type.String()) }),
  prompt_cache_breakpoint: Opt(PromptCacheBreakpoint),
});

export const OpenAIRefusalPartSchema = Obj({ type: Type.Literal("refusal"), refusal: Type.String() });

/**
 * A user part of a type OpenAI does not define (e.g. vLLM's `video_url`): kept and forwarded, so
 * OpenAI-compatible servers keep their extensions. The pattern excludes the known types so a
 * malformed known part is reported against its own schema.
 */
export const OpenAIOtherPartSchema = Obj({
  type: Type.String({ pattern: "^(?!(?:text|image_url|input_audio|file|refusal)$)" }),
});

export const OpenAIUserPartSchema = Type.Union([
  OpenAITextPartSchema,
  OpenAIImagePartSchema,
  OpenAIInputAudioPartSchema,
  OpenAIFilePartSchema,
  OpenAIOtherPartSchema,
]);

const TextContent = Type.Union([Type.String(), Type.Array(OpenAITextPartSchema)]);

// ---------- tool calls ----------

export const OpenAIFunctionToolCallSchema = Obj({
  id: Type.String(),
  type: Type.Literal("function"),
  function: Obj({ name: Type.String(), arguments: Type.String() }),
});

export const OpenAICustomToolCallSchema = Obj({
  id: Type.String(),
  type: Type.Literal("custom"),
  custom: Obj({ name: Type.String(), input: Type.String() }),
});

export const OpenAIToolCallSchema = Type.Union([OpenAIFunctionToolCallSchema, OpenAICustomToolCallSchema]);

// ---------- messages ----------

export const OpenAISystemMessageSchema = Obj({
  role: Type.Literal("system"),
  content: TextContent,
  name: Opt(Type.String()),
});

export const OpenAIDeveloperMessageSchema = Obj({
  role: Type.Literal("developer"),
  content: TextContent,
  name: Opt(Type.String()),
});

export const OpenAIUserMessageSchema = Obj({
  role: Type.Literal("user"),
  content: Type.Union([Type.String(), Type.Array(OpenAIUserPartSchema)]),
  name: Opt(Type.String()),
});

export const OpenAIAssistantMessageSchema = Obj({
  role: Type.Literal("assistant"),
  content: OptNull(
    Type.Union([Type.String(), Type.Array(Type.Union([OpenAITextPartSchema, OpenAIRefusalPartSchema]))]),
  ),
  refusal: OptNull(Type.String()),
  name: Opt(Type.String()),
  audio: OptNull(Obj({ id: Type.String() })),
  tool_calls: Opt(Type.Array(OpenAIToolCallSchema)),
  function_call: OptNull(Obj({ name: Type.String(), arguments: Type.String() })),
});

export const OpenAIToolMessageSchema = Obj({
  role: Type.Literal("tool"),
  content: TextContent,
  tool_call_id: Type.String(),
});

/** Deprecated by OpenAI, still accepted. */
export const OpenAIFunctionMessageSchema = Obj({
  role: Type.Literal("function"),
  content: Nullable(Type.String()),
  name: Type.String(),
});

export const OpenAIMessageSchema = Type.Union([
  OpenAISystemMessageSchema,
  OpenAIDeveloperMessageSchema,
  OpenAIUserMessageSchema,
  OpenAIAssistantMessageSchema,
  OpenAIToolMessageSchema,
  OpenAIFunctionMessageSchema,
]);

// ---------- tools ----------

export const OpenAIFunctionDefinitionSchema = Obj({
  name: Type.String(),
  description: Opt(Type.String()),
  parameters: Opt(AnyObject),
  strict: OptNull(Type.Boolean()),
});

export const OpenAIFunctionToolSchema = Obj({
  type: Type.Literal("function"),
  function: OpenAIFunctionDefinitionSchema,
});

export const OpenAICustomToolSchema = Obj({
  type: Type.Literal("custom"),
  custom: Obj({
    name: Type.String(),
    description: Opt(Type.String()),
    format: Opt(Obj({ type: Type.String() })),
  }),
});

export const OpenAIToolSchema = Type.Union([OpenAIFunctionToolSchema, OpenAICustomToolSchema]);

export const OpenAIToolChoiceSchema = Type.Union([
  Literals("none", "auto", "required"),
  Obj({ type: Type.Literal("function"), function: Obj({ name: Type.String() }) }),
  Obj({ type: Type.Literal("custom"), custom: Obj({ name: Type.String() }) }),
  Obj({
    type: Type.Literal("allowed_tools"),
    allowed_tools: Obj({ mode: Literals("auto", "required"), tools: Type.Array(AnyObject) }),
  }),
]);

// ---------- response format ----------

export const OpenAIResponseFormatSchema = Type.Union([
  Obj({ type: Type.Literal("text") }),
  Obj({ type: Type.Literal("json_object") }),
  Obj({
    type: Type.Literal("json_schema"),
    json_schema: Obj({
      name: Type.String(),
      description: Opt(Type.String()),
      schema: Opt(AnyObject),
      strict: OptNull(Type.Boolean()),
    }),
  }),
]);

/** Every level the gateway knows (the IR's order), so a level another protocol names is accepted. */
export const OpenAIReasoningEffortSchema = Literals(...EFFORT_ORDER);

export { FallbacksControlSchema, ProviderControlSchema };

// ---------- the request ----------

const Penalty = Type.Number({ minimum: -2, maximum: 2 });

export const OpenAIChatRequestSchema = Obj(
  {
    model: Type.String({ minLength: 1 }),
    messages: Type.Array(OpenAIMessageSchema, { minItems: 1 }),
    audio: OptNull(
      Obj({ format: Type.String(), voice: Type.Union([Type.String(), Obj({ id: Type.String() })]) }),
    ),
    frequency_penalty: OptNull(Penalty),
    presence_penalty: OptNull(Penalty),
    function_call: Opt(Type.Union([Literals("none", "auto"), Obj({ name: Type.String() })])),
    functions: Opt(Type.Array(OpenAIFunctionDefinitionSchema)),
    logit_bias: OptNull(Type.Record(Type.String(), Type.Number({ minimum: -100, maximum: 100 }))),
    logprobs: OptNull(Type.Boolean()),
    top_logprobs: OptNull(Type.Integer({ minimum: 0, maximum: 20 })),
    max_completion_tokens: OptNull(Type.Integer({ minimum: 1 })),
    max_tokens: OptNull(Type.Integer({ minimum: 1 })),
    metadata: OptNull(Type.Record(Type.String(), Type.String())),
    modalities: OptNull(Type.Array(Literals("text", "audio"))),
    n: OptNull(Type.Integer({ minimum: 1, maximum: 128 })),
    parallel_tool_calls: OptNull(Type.Boolean()),
    prediction: OptNull(Obj({ type: Type.Literal("content"), content: TextContent })),
    prompt_cache_key: OptNull(Type.String()),
    prompt_cache_retention: OptNull(Literals("in_memory", "24h")),
    reasoning_effort: OptNull(OpenAIReasoningEffortSchema),
    /** OpenRouter-style reasoning (OpenAI-compatible providers): the Chat body's own field, forwarded. */
    reasoning: OptNull(
      Obj({
        effort: OptNull(OpenAIReasoningEffortSchema),
        max_tokens: OptNull(Type.Integer({ minimum: 0 })),
        enabled: OptNull(Type.Boolean()),
        exclude: OptNull(Type.Boolean()),
      }),
    ),
    response_format: Opt(OpenAIResponseFormatSchema),
    safety_identifier: OptNull(Type.String()),
    seed: OptNull(Type.Integer()),
    service_tier: OptNull(Type.String()),
    stop: OptNull(Type.Union([Type.String(), Type.Array(Type.String())])),
    store: OptNull(Type.Boolean()),
    stream: OptNull(Type.Boolean()),
    stream_options: OptNull(
      Obj({ include_usage: Opt(Type.Boolean()), include_obfuscation: Opt(Type.Boolean()) }),
    ),
    temperature: OptNull(Type.Number({ minimum: 0, maximum: 2 })),
    tool_choice: Opt(OpenAIToolChoiceSchema),
    tools: Opt(Type.Array(OpenAIToolSchema)),
    top_p: OptNull(Type.Number({ minimum: 0, maximum: 1 })),
    user: Opt(Type.String()),
    verbosity: OptNull(Literals("low", "medium", "high")),
    web_search_options: Opt(
      Obj({
        search_context_size: Opt(Literals("low", "medium", "high")),
        user_location: OptNull(
          Obj({
            type: Type.Literal("approximate"),
            approximate: Obj({
              city: Opt(Type.String()),
              country: Opt(Type.String()),
              region: Opt(Type.String()),
              timezone: Opt(Type.String()),
            }),
          }),
        ),
      }),
    ),
    provider: Opt(ProviderControlSchema),
    fallbacks: Opt(FallbacksControlSchema),
    ...RequestControlProperties,
  },
  "An OpenAI Chat Completions request. Unknown fields are kept and forwarded.",
);

export type OpenAIChatRequest = Static<typeof OpenAIChatRequestSchema>;
export type OpenAIMessage = Static<typeof OpenAIMessageSchema>;
export type OpenAIUserPart = Static<typeof OpenAIUserPartSchema>;
export type OpenAITextPart = Static<typeof OpenAITextPartSchema>;
export type OpenAIToolCall = Static<typeof OpenAIToolCallSchema>;
export type OpenAITool = Static<typeof OpenAIToolSchema>;
export type OpenAIToolChoice = Static<typeof OpenAIToolChoiceSchema>;
export type OpenAIResponseFormat = Static<typeof OpenAIResponseFormatSchema>;
export type OpenAIReasoningEffort = Static<typeof OpenAIReasoningEffortSchema>;
export type ProviderControl = Static<typeof ProviderControlSchema>;
