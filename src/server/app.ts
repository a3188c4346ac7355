import { Elysia } from "elysia";
import { GatewayError } from "../errors/gateway-error.ts";
import { errorResponse } from "../errors/render-error.ts";
import { handleCountTokens } from "../gateway/handle-count-tokens.ts";
import {
  anthropicEndpoint,
  handleGeneration,
  openAIEndpoint,
  requestIdOf,
} from "../gateway/handle-generation.ts";
import type { GatewayRuntime } from "../gateway/runtime.ts";
import {
  AnthropicCountTokensRequestSchema,
  AnthropicMessagesRequestSchema,
} from "../protocols/anthropic/schema.ts";
import { OpenAIChatRequestSchema } from "../protocols/openai/schema.ts";
import {
  validateAnthropicCountTokensRequest,
  validateAnthropicMessagesRequest,
  validateOpenAIChatRequest,
} from "../protocols/validate.ts";
import { docsPlugin } from "./docs.ts";
import { handleHealth, handleMetrics, handleModels, handleReady, handleUsage } from "./operational-routes.ts";

const jsonBody = (schema: object, description: string) => ({
  requestBody: { required: true, description, content: { "application/json": { schema } } },
});

/**
 * The HTTP surface. Handlers take the raw Request (Elysia does no body parsing or validation
 * here: the gateway reads the bytes itself so the same-protocol path can forward them
 * untouched, and validates with compiled TypeBox checks that report the field's path in the
 * endpoint's own error envelope). Schemas are attached to the OpenAPI document only.
 */
export function createApp(runtime: GatewayRuntime) {
  const openAI = openAIEndpoint(validateOpenAIChatRequest);
  const anthropic = anthropicEndpoint(validateAnthropicMessagesRequest);

  const chat = ({ request }: { request: Request }) => handleGeneration(request, openAI, runtime);
  const messages = ({ request }: { request: Request }) => handleGeneration(request, anthropic, runtime);
  const countTokens = ({ request }: { request: Request }) =>
    handleCountTokens(request, validateAnthropicCountTokensRequest, runtime);

  const chatDetail = {
    parse: "none" as const,
    detail: {
      summary: "Create a chat completion (OpenAI Chat Completions API)",
      description:
        "OpenAI Chat Completions, JSON or SSE (`stream: true`), routed to any configured provider. Gateway fields `provider` and `fallbacks` are removed before the upstream call.",
      tags: ["OpenAI"],
      ...jsonBody(OpenAIChatRequestSchema, "An OpenAI Chat Completions request"),
    },
  };
  const messagesDetail = {
    parse: "none" as const,
    detail: {
      summary: "Create a message (Anthropic Messages API)",
      description:
        "Anthropic Messages, JSON or SSE (`stream: true`), routed to any configured provider. `anthropic-version` defaults to 2023-06-01.",
      tags: ["Anthropic"],
      ...jsonBody(AnthropicMessagesRequestSchema, "An Anthropic Messages request"),
    },
  };
  const countDetail = {
    parse: "none" as const,
    detail: {
      summary: "Count input tokens (Anthropic)",
      description:
        "Exact from Anthropic-type providers; an estimate (header `x-switchboard-estimated: true`) otherwise.",
      tags: ["Anthropic"],
      ...jsonBody(AnthropicCountTokensRequestSchema, "An Anthropic count_tokens request"),
    },
  };
  const modelsDetail = (tag: string) => ({
    detail: {
      summary: "List models",
      description:
        "The models the caller's key may use. Anthropic's list shape when `anthropic-version` is sent.",
      tags: [tag],
    },
  });

  // The docs routes are the plugin's own; a local hook gives their responses an x-request-id too
  // without adding a per-request hook to the API routes (their handlers set it themselves).
  const docs = new Elysia({ name: "switchboard/docs-with-request-id" })
    .onAfterHandle({ as: "local" }, ({ set, request }) => {
      set.headers["x-request-id"] = requestIdOf(request);
    })
    .use(docsPlugin({ version: runtime.version }));

  return new Elysia()
    .use(docs)
    .onError(({ code, request, error }) => {
      const requestId = requestIdOf(request);
      const path = new URL(request.url).pathname;
      const protocol =
        path.startsWith("/anthropic/") || path.startsWith("/v1/messages") ? "anthropic" : "openai";
      const gatewayError =
        code === "NOT_FOUND"
          ? new GatewayError({
              kind: "not_found",
              status: 404,
              message: `No route for ${request.method} ${path}.`,
            })
          : error instanceof GatewayError
            ? error
            : new GatewayError({ kind: "api_error", status: 500, message: "Internal gateway error." });
      if (gatewayError.status === 500) {
        runtime.logger.error("unhandled error", { request_id: requestId, code: String(code) });
      }
      return errorResponse(protocol, gatewayError, { "x-request-id": requestId });
    })
    .post("/v1/chat/completions", chat, chatDetail)
    .post("/openai/v1/chat/completions", chat, {
      ...chatDetail,
      detail: { ...chatDetail.detail, hide: true },
    })
    .post("/v1/messages", messages, messagesDetail)
    .post("/anthropic/v1/messages", messages, {
      ...messagesDetail,
      detail: { ...messagesDetail.detail, hide: true },
    })
    .post("/v1/messages/count_tokens", countTokens, countDetail)
    .post("/anthropic/v1/messages/count_tokens", countTokens, {
      ...countDetail,
      detail: { ...countDetail.detail, hide: true },
    })
    .get("/v1/models", ({ request }) => handleModels(request, runtime, null), modelsDetail("Gateway"))
    .get("/openai/v1/models", ({ request }) => handleModels(request, runtime, "openai"), {
      detail: { hide: true },
    })
    .get("/anthropic/v1/models", ({ request }) => handleModels(request, runtime, "anthropic"), {
      detail: { hide: true },
    })
    .get("/health", ({ request }) => handleHealth(request, runtime), {
      detail: { summary: "Liveness", tags: ["Operations"] },
    })
    .get("/ready", ({ request }) => handleReady(request, runtime), {
      detail: { summary: "Readiness (config loaded, not draining; breaker states)", tags: ["Operations"] },
    })
    .get("/metrics", ({ request }) => handleMetrics(request, runtime), {
      detail: { summary: "Prometheus metrics", tags: ["Operations"] },
    })
    .get("/v1/usage", ({ request }) => handleUsage(request, runtime), {
      detail: {
        summary: "Usage totals (master key)",
        description: "Query: from, to (ISO dates), group_by (key,model,provider,day).",
        tags: ["Operations"],
      },
    });
}

export type GatewayApp = ReturnType<typeof createApp>;
