/**
 * TypeBox schemas of the Anthropic Messages and count_tokens request bodies, as the official API
 * defines them (anthropic-sdk-typescript `MessageCreateParamsBase`, `MessageCountTokensParams`),
 * plus the gateway's own controls (`provider`, `fallbacks`, docs/request-controls.md).
 *
 * Every object allows unknown properties (forwarded as is). Content blocks and tools of a type
 * Anthropic adds later are accepted as `{ type: string, … }` and forwarded; the known ones are
 * checked field by field, and a catch-all's pattern excludes their names so that a malformed
 * known block is reported against its own schema.
 * Integers use TypeBox's plain Type.Integer: Elysia's t.Integer coerces and slows every request.
 */
import { type Static, Type } from "@sinclair/typebox";
import {
  AnyObject,
  FallbacksControlSchema,
  Literals,
  Obj,
  Opt,
  OptNull,
  ProviderControlSchema,
  ReasoningControlSchema,
  RequestControlProperties,
} from "../schema-helpers.ts";

/** `{ type: string }` whose type is none of `known`: forward compatibility for new block/tool types. */
const OtherTyped = (known: readonly string[]) =>
  Obj({ type: Type.String({ pattern: `^(?!(?:${known.join("|")})$)` }) });

export const AnthropicCacheControlSchema = Obj({
  type: Type.Literal("ephemeral"),
  ttl: Opt(Literals("5m", "1h")),
});
const CacheControl = OptNull(AnthropicCacheControlSchema);

// ---------- content blocks ----------

export const AnthropicTextBlockSchema = Obj({
  type: Type.Literal("text"),
  text: Type.String(),
  cache_control: CacheControl,
  citations: OptNull(Type.Array(Obj({ type: Type.String() }))),
});

export const AnthropicImageSourceSchema = Type.Union([
  Obj({ type: Type.Literal("base64"), media_type: Type.String(), data: Type.String() }),
  Obj({ type: Type.Literal("url"), url: Type.String() }),
  Obj({ type: Type.Literal("file"), file_id: Type.String() }),
]);

export const AnthropicImageBlockSchema = Obj({
  type: Type.Literal("image"),
  source: AnthropicImageSourceSchema,
  cache_control: CacheControl,
});

export const AnthropicDocumentSourceSchema = Type.Union([
  Obj({ type: Type.Literal("base64"), media_type: Type.String(), data: Type.String() }),
  Obj({ type: Type.Literal("text"), media_type: Type.String(), data: Type.String() }),
  Obj({
    type: Type.Literal("content"),
    content: Type.Union([
      Type.String(),
      Type.Array(Type.Union([AnthropicTextBlockSchema, AnthropicImageBlockSchema])),
    ]),
  }),
  Obj({ type: Type.Literal("url"), url: Type.String() }),
  Obj({ type: Type.Literal("file"), file_id: Type.String() }),
]);

export const AnthropicDocumentBlockSchema = Obj({
  type: Type.Literal("document"),
  source: AnthropicDocumentSourceSchema,
  cache_control: CacheControl,
  citations: OptNull(Obj({ enabled: Opt(Type.Boolean()) })),
  context: OptNull(Type.String()),
  title: OptNull(Type.String()),
});

export const AnthropicSearchResultBlockSchema = Obj({
  type: Type.Literal("search_result"),
  source: Type.String(),
  title: Type.String(),
  content: Type.Array(AnthropicTextBlockSchema),
  cache_control: CacheControl,
  citations: Opt(Obj({ enabled: Opt(Type.Boolean()) })),
});

export const AnthropicThinkingBlockSchema = Obj({
  type: Type.Literal("thinking"),
  thinking: Type.String(),
  signature: Type.String(),
});

export const AnthropicRedactedThinkingBlockSchema = Obj({
  type: Type.Literal("redacted_thinking"),
  data: Type.String(),
});

export const AnthropicToolUseBlockSchema = Obj({
  type: Type.Literal("tool_use"),
  id: Type.String(),
  name: Type.String(),
  input: AnyObject,
  cache_control: CacheControl,
});

const TOOL_RESULT_PART_TYPES = ["text", "image", "search_result", "document"] as const;

export const AnthropicToolResultBlockSchema = Obj({
  type: Type.Literal("tool_result"),
  tool_use_id: Type.String(),
  content: Opt(
    Type.Union([
      Type.String(),
      Type.Array(
        Type.Union([
          AnthropicTextBlockSchema,
          AnthropicImageBlockSchema,
          AnthropicSearchResultBlockSchema,
          AnthropicDocumentBlockSchema,
          OtherTyped(TOOL_RESULT_PART_TYPES),
        ]),
      ),
    ]),
  ),
  is_error: Opt(Type.Boolean()),
  cache_control: CacheControl,
});

export const AnthropicServerToolUseBlockSchema = Obj({
  type: Type.Literal("server_tool_use"),
  id: Type.String(),
  name: Type.String(),
  input: AnyObject,
  cache_control: CacheControl,
});

export const AnthropicWebSearchToolResultBlockSchema = Obj({
  type: Type.Literal("web_search_tool_result"),
  tool_use_id: Type.String(),
  // A list of results, or an error object.
  content: Type.Union([Type.Array(AnyObject), AnyObject]),
  cache_control: CacheControl,
});

export const AnthropicContainerUploadBlockSchema = Obj({
  type: Type.Literal("container_upload"),
  file_id: Type.String(),
  cache_control: CacheControl,
});

const KNOWN_BLOCK_TYPES = [
  "text",
  "image",
  "document",
  "search_result",
  "thinking",
  "redacted_thinking",
  "tool_use",
  "tool_result",
  "server_tool_use",
  "web_search_tool_result",
  "container_upload",
] as const;

/** web_fetch_tool_result, code_execution_tool_result, tool_reference, … and future types. */
export const AnthropicOtherBlockSchema = OtherTyped(KNOWN_BLOCK_TYPES);

export const AnthropicContentBlockSchema = Type.Union([
  AnthropicTextBlockSchema,
  AnthropicImageBlockSchema,
  AnthropicDocumentBlockSchema,
  AnthropicSearchResultBlockSchema,
  AnthropicThinkingBlockSchema,
  AnthropicRedactedThinkingBlockSchema,
  AnthropicToolUseBlockSchema,
  AnthropicToolResultBlockSchema,
  AnthropicServerToolUseBlockSchema,
  AnthropicWebSearchToolResultBlockSchema,
  AnthropicContainerUploadBlockSchema,
  AnthropicOtherBlockSchema,
]);

const MessageContent = Type.Union([Type.String(), Type.Array(AnthropicContentBlockSchema)]);
export const AnthropicSystemSchema = Type.Union([Type.String(), Type.Array(AnthropicTextBlockSchema)]);

export const AnthropicMessageSchema = Type.Union([
  Obj({ role: Type.Literal("user"), content: MessageContent }),
  Obj({ role: Type.Literal("assistant"), content: MessageContent }),
  // A system turn in mid-conversation (newer API versions).
  Obj({ role: Type.Literal("system"), content: AnthropicSystemSchema }),
]);

// ---------- tools ----------

export const AnthropicCustomToolSchema = Obj({
  type: OptNull(Type.Literal("custom")),
  name: Type.String({ minLength: 1 }),
  description: Opt(Type.String()),
  input_schema: Obj({ type: Type.Literal("object") }),
  cache_control: CacheControl,
  strict: Opt(Type.Boolean()),
});

/** Server and versioned tools (`web_search_20250305`, `bash_20250124`, …): checked upstream. */
export const AnthropicServerToolSchema = Obj({
  type: Type.String({ pattern: "^(?!custom$)" }),
  name: Opt(Type.String()),
});

export const AnthropicToolSchema = Type.Union([AnthropicCustomToolSchema, AnthropicServerToolSchema]);

export const AnthropicToolChoiceSchema = Type.Union([
  Obj({ type: Type.Literal("auto"), disable_parallel_tool_use: Opt(Type.Boolean()) }),
  Obj({ type: Type.Literal("any"), disable_parallel_tool_use: Opt(Type.Boolean()) }),
  Obj({ type: Type.Literal("tool"), name: Type.String(), disable_parallel_tool_use: Opt(Type.Boolean()) }),
  Obj({ type: Type.Literal("none") }),
]);

// ---------- thinking and output ----------

export const AnthropicThinkingConfigSchema = Type.Union([
  Obj({
    type: Type.Literal("enabled"),
    budget_tokens: Type.Integer({ minimum: 1024 }),
    display: OptNull(Literals("summarized", "omitted")),
  }),
  Obj({ type: Type.Literal("disabled") }),
  Obj({ type: Type.Literal("adaptive"), display: OptNull(Literals("summarized", "omitted")) }),
  Obj({ type: Type.Literal("between_tools") }),
]);

export const AnthropicEffortSchema = Literals("low", "medium", "high", "xhigh", "max");

export const AnthropicOutputFormatSchema = Obj({ type: Type.Literal("json_schema"), schema: AnyObject });

export const AnthropicOutputConfigSchema = Obj({
  effort: OptNull(AnthropicEffortSchema),
  format: OptNull(AnthropicOutputFormatSchema),
});

export const AnthropicMcpServerSchema = Obj({
  type: Type.Literal("url"),
  url: Type.String(),
  name: Type.String(),
  authorization_token: OptNull(Type.String()),
  tool_configuration: OptNull(AnyObject),
});

// ---------- the requests ----------

/** Fields shared by Messages and count_tokens. */
const commonProperties = {
  model: Type.String({ minLength: 1 }),
  messages: Type.Array(AnthropicMessageSchema, { minItems: 1 }),
  system: Opt(AnthropicSystemSchema),
  tools: Opt(Type.Array(AnthropicToolSchema)),
  tool_choice: Opt(AnthropicToolChoiceSchema),
  thinking: Opt(AnthropicThinkingConfigSchema),
  output_config: Opt(AnthropicOutputConfigSchema),
  /** The structured-outputs beta's name for `output_config.format` (Bifrost, older SDKs). */
  output_format: OptNull(AnthropicOutputFormatSchema),
  cache_control: CacheControl,
  mcp_servers: Opt(Type.Array(AnthropicMcpServerSchema)),
  context_management: OptNull(Obj({ edits: Opt(Type.Array(Obj({ type: Type.String() }))) })),
  provider: Opt(ProviderControlSchema),
  fallbacks: Opt(FallbacksControlSchema),
};

export const AnthropicMessagesRequestSchema = Obj(
  {
    // First, as in Anthropic's own schema: it is the field a client most often forgets.
    max_tokens: Type.Integer({ minimum: 1 }),
    ...commonProperties,
    metadata: Opt(Obj({ user_id: OptNull(Type.String()) })),
    stop_sequences: Opt(Type.Array(Type.String())),
    stream: Opt(Type.Boolean()),
    temperature: Opt(Type.Number({ minimum: 0, maximum: 1 })),
    top_p: Opt(Type.Number({ minimum: 0, maximum: 1 })),
    top_k: Opt(Type.Integer({ minimum: 1 })),
    service_tier: Opt(Type.String()),
    container: OptNull(
      Type.Union([
        Type.String(),
        Obj({ id: OptNull(Type.String()), skills: OptNull(Type.Array(AnyObject)) }),
      ]),
    ),
    /** The gateway's reasoning control (Anthropic has none of that name): → thinking, output_config.effort. */
    reasoning: OptNull(ReasoningControlSchema),
    ...RequestControlProperties,
  },
  "An Anthropic Messages request. Unknown fields are kept and forwarded.",
);

export const AnthropicCountTokensRequestSchema = Obj(
  commonProperties,
  "An Anthropic count_tokens request. Unknown fields are kept and forwarded.",
);

export type AnthropicMessagesRequest = Static<typeof AnthropicMessagesRequestSchema>;
export type AnthropicCountTokensRequest = Static<typeof AnthropicCountTokensRequestSchema>;
export type AnthropicMessageParam = Static<typeof AnthropicMessageSchema>;
export type AnthropicContentBlock = Static<typeof AnthropicContentBlockSchema>;
export type AnthropicTextBlock = Static<typeof AnthropicTextBlockSchema>;
export type AnthropicSystem = Static<typeof AnthropicSystemSchema>;
export type AnthropicTool = Static<typeof AnthropicToolSchema>;
export type AnthropicCustomTool = Static<typeof AnthropicCustomToolSchema>;
export type AnthropicToolChoice = Static<typeof AnthropicToolChoiceSchema>;
export type AnthropicThinkingConfig = Static<typeof AnthropicThinkingConfigSchema>;
export type AnthropicOutputConfig = Static<typeof AnthropicOutputConfigSchema>;
