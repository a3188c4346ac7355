import type { ClientProtocol } from "../ir/codec.ts";
import type { ErrorKind, GatewayError } from "./gateway-error.ts";

export type { ClientProtocol };

const OPENAI_TYPE: Record<ErrorKind, string> = {
  invalid_request: "invalid_request_error",
  authentication: "authentication_error",
  permission: "permission_error",
  not_found: "not_found_error",
  request_too_large: "invalid_request_error",
  rate_limit: "rate_limit_error",
  api_error: "api_error",
  timeout: "timeout_error",
  overloaded: "server_error",
};

const ANTHROPIC_TYPE: Record<ErrorKind, string> = {
  invalid_request: "invalid_request_error",
  authentication: "authentication_error",
  permission: "permission_error",
  not_found: "not_found_error",
  request_too_large: "request_too_large",
  rate_limit: "rate_limit_error",
  api_error: "api_error",
  timeout: "api_error",
  overloaded: "overloaded_error",
};

export function openAIErrorBody(error: GatewayError): { error: Record<string, unknown> } {
  return {
    error: {
      message: error.message,
      type: error.upstreamType ?? OPENAI_TYPE[error.kind],
      param: error.param,
      code: error.code,
    },
  };
}

export function anthropicErrorBody(error: GatewayError): { type: "error"; error: Record<string, unknown> } {
  return { type: "error", error: { type: anthropicErrorType(error), message: error.message } };
}

export function anthropicErrorType(error: GatewayError): string {
  // An upstream Anthropic type is kept only when it is one of Anthropic's own names.
  if (error.upstreamType && Object.values(ANTHROPIC_TYPE).includes(error.upstreamType))
    return error.upstreamType;
  return ANTHROPIC_TYPE[error.kind];
}

/** Each client protocol's error envelope; the Responses API uses OpenAI's. */
const ERROR_BODIES: Record<ClientProtocol, (error: GatewayError) => object> = {
  openai: openAIErrorBody,
  anthropic: anthropicErrorBody,
  responses: openAIErrorBody,
};

export function errorBody(protocol: ClientProtocol, error: GatewayError): object {
  return ERROR_BODIES[protocol](error);
}

export function errorResponse(
  protocol: ClientProtocol,
  error: GatewayError,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(errorBody(protocol, error)), {
    status: error.status,
    headers: { "content-type": "application/json", ...error.headers, ...headers },
  });
}
