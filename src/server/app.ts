import { type AnyElysia, Elysia } from "elysia";
import { GatewayError } from "../errors/gateway-error.ts";
import { errorResponse } from "../errors/render-error.ts";
import { handleCountTokens } from "../gateway/handle-count-tokens.ts";
import { handleEmbeddings } from "../gateway/handle-embeddings.ts";
import { handleGeneration, requestIdOf } from "../gateway/handle-generation.ts";
import { handlePassthrough } from "../gateway/handle-passthrough.ts";
import { handleResponseState, type ResponseStateAction } from "../gateway/handle-response-state.ts";
import type { GatewayRuntime } from "../gateway/runtime.ts";
import type { ClientProtocol } from "../ir/codec.ts";
import { CLIENT_PROTOCOLS, protocolOfPath } from "../protocols/client-protocols.ts";
import {
  type RequestSchemaName,
  requestSchemaComponents,
  requestSchemaRef,
} from "../protocols/request-schemas.ts";
import { validateAnthropicCountTokensRequest } from "../protocols/validate.ts";
import { consolePlugin } from "./console-plugin.ts";
import { docsPlugin } from "./docs.ts";
import { handleHealth, handleMetrics, handleModels, handleReady, handleUsage } from "./operational-routes.ts";

// The routes refer to the request schemas; the document holds them (built on its first visit).
const jsonBody = (schema: RequestSchemaName, description: string) => ({
  requestBody: {
    required: true,
    description,
    content: { "application/json": { schema: requestSchemaRef(schema) } },
  },
});

/**
 * The HTTP surface. Handlers take the raw Request (Elysia does no body parsing or validation
 * here: the gateway reads the bytes itself so the same-protocol path can forward them
 * untouched, and validates with compiled TypeBox checks that report the field's path in the
 * endpoint's own error envelope). Schemas are attached to the OpenAPI document only.
 */
/** The OpenAPI description of each generation endpoint. */
const GENERATION_DOCS: Record<
  ClientProtocol,
  { summary: string; description: string; tag: string; schema: RequestSchemaName }
> = {
  openai: {
    summary: "Create a chat completion (OpenAI Chat Completions API)",
    description:
      "OpenAI Chat Completions, JSON or SSE (`stream: true`), routed to any configured provider. Gateway fields `provider` and `fallbacks` are removed before the upstream call.",
    tag: "OpenAI",
    schema: "OpenAIChatRequest",
  },
  anthropic: {
    summary: "Create a message (Anthropic Messages API)",
    description:
      "Anthropic Messages, JSON or SSE (`stream: true`), routed to any configured provider. `anthropic-version` defaults to 2023-06-01.",
    tag: "Anthropic",
    schema: "AnthropicMessagesRequest",
  },
  responses: {
    summary: "Create a model response (OpenAI Responses API)",
    description:
      "OpenAI Responses, JSON or SSE (`stream: true`) with the typed event grammar, routed to any configured provider: zero-copy to providers with `responses:` set, translated to every other one.",
    tag: "OpenAI",
    schema: "ResponsesRequest",
  },
};

export function createApp(runtime: GatewayRuntime) {
  const countTokens = ({ request }: { request: Request }) =>
    handleCountTokens(request, validateAnthropicCountTokensRequest, runtime);

  const countDetail = {
    parse: "none" as const,
    detail: {
      summary: "Count input tokens (Anthropic)",
      description:
        "Exact from Anthropic-type providers; an estimate (header `x-switchboard-estimated: true`) otherwise.",
      tags: ["Anthropic"],
      ...jsonBody("AnthropicCountTokensRequest", "An Anthropic count_tokens request"),
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
      // A visit is activity for the idle collector: the first one leaves the plugin's garbage.
      runtime.requestsStarted++;
    })
    .use(
      docsPlugin({ version: runtime.version, app: (): AnyElysia => app, schemas: requestSchemaComponents }),
    );

  const app = new Elysia().use(docs).onError(({ code, request, error }) => {
    const requestId = requestIdOf(request);
    const path = new URL(request.url).pathname;
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
    return errorResponse(protocolOfPath(path), gatewayError, { "x-request-id": requestId });
  });
  for (const protocol of Object.values(CLIENT_PROTOCOLS)) {
    const handler = ({ request }: { request: Request }) => handleGeneration(request, protocol, runtime);
    const docs = GENERATION_DOCS[protocol.protocol];
    protocol.routes.forEach((route, index) => {
      // Elysia registers on the instance it returns: no need to rebind across the loop.
      app.post(route, handler, {
        parse: "none",
        detail: {
          summary: docs.summary,
          description: docs.description,
          tags: [docs.tag],
          // The first route is the documented one; the SDK-style prefixed ones are aliases.
          hide: index > 0,
          ...jsonBody(docs.schema, docs.summary),
        },
      });
    });
  }
  const embeddings = ({ request }: { request: Request }) => handleEmbeddings(request, runtime);
  const embeddingsDetail = {
    summary: "Create embeddings (OpenAI Embeddings API)",
    description:
      "OpenAI embeddings: zero-copy to OpenAI-compatible providers, translated for Gemini (`batchEmbedContents`); `encoding_format: base64` honoured. Routing controls `provider`, `fallbacks` as on generation.",
    tags: ["OpenAI"],
    ...jsonBody("EmbeddingsRequest", "An OpenAI embeddings request"),
  };
  app.post("/v1/embeddings", embeddings, { parse: "none", detail: embeddingsDetail });
  app.post("/openai/v1/embeddings", embeddings, {
    parse: "none",
    detail: { ...embeddingsDetail, hide: true },
  });
  // Raw pass-through: any method; the body is streamed, never parsed.
  app.all("/p/:provider/*", ({ request }: { request: Request }) => handlePassthrough(request, runtime), {
    parse: "none",
    detail: {
      summary: "Provider pass-through",
      description:
        "Forwards method, path, query and body to the provider's base URL with the gateway's credentials for it, streaming both ways. Master key, or virtual keys with `passthrough: true`.",
      tags: ["Gateway"],
    },
  });
  const responseState =
    (action: ResponseStateAction) =>
    ({ request, params }: { request: Request; params: { id: string } }) =>
      handleResponseState(request, params.id, action, runtime);
  const stateDetail = (summary: string) => ({
    detail: {
      summary,
      description:
        "Responses the gateway kept (translated answers with `store` not false), for the key that created them; retention `responses.retention` (default 7 days).",
      tags: ["OpenAI"],
    },
  });
  for (const prefix of ["/v1", "/openai/v1"]) {
    const hide = prefix !== "/v1";
    app.get(`${prefix}/responses/:id`, responseState("get"), {
      ...stateDetail("Retrieve a response"),
      detail: { ...stateDetail("Retrieve a response").detail, hide },
    });
    app.get(`${prefix}/responses/:id/input_items`, responseState("input_items"), {
      detail: { ...stateDetail("List a response's input items").detail, hide },
    });
    app.delete(`${prefix}/responses/:id`, responseState("delete"), {
      detail: { ...stateDetail("Delete a response").detail, hide },
    });
  }
  return app
    .post("/v1/messages/count_tokens", countTokens, countDetail)
    .post("/anthropic/v1/messages/count_tokens", countTokens, {
      ...countDetail,
      detail: { ...countDetail.detail, hide: true },
    })
    .get(
      "/v1/models",
      ({ request }: { request: Request }) => handleModels(request, runtime, null),
      modelsDetail("Gateway"),
    )
    .get(
      "/openai/v1/models",
      ({ request }: { request: Request }) => handleModels(request, runtime, "openai"),
      {
        detail: { hide: true },
      },
    )
    .get(
      "/anthropic/v1/models",
      ({ request }: { request: Request }) => handleModels(request, runtime, "anthropic"),
      {
        detail: { hide: true },
      },
    )
    .get("/health", ({ request }: { request: Request }) => handleHealth(request, runtime), {
      detail: { summary: "Liveness", tags: ["Operations"] },
    })
    .get("/ready", ({ request }: { request: Request }) => handleReady(request, runtime), {
      detail: { summary: "Readiness (config loaded, not draining; breaker states)", tags: ["Operations"] },
    })
    .get("/metrics", ({ request }: { request: Request }) => handleMetrics(request, runtime), {
      detail: { summary: "Prometheus metrics", tags: ["Operations"] },
    })
    .get("/v1/usage", ({ request }: { request: Request }) => handleUsage(request, runtime), {
      detail: {
        summary: "Usage totals (master key)",
        description: "Query: from, to (ISO dates), group_by (key,model,provider,day).",
        tags: ["Operations"],
      },
    })
    .use(consolePlugin(runtime));
}

export type GatewayApp = ReturnType<typeof createApp>;
