/**
 * One error type for the whole gateway. Code anywhere throws or returns a GatewayError;
 * the server edge renders it into the envelope of the endpoint's protocol (see render-error.ts).
 */
export type ErrorKind =
  | "invalid_request" // 400
  | "authentication" // 401
  | "permission" // 403
  | "not_found" // 404
  | "request_too_large" // 413
  | "rate_limit" // 429
  | "api_error" // 500/502
  | "timeout" // 504
  | "overloaded"; // 529/503

export interface GatewayErrorInit {
  kind: ErrorKind;
  status: number;
  message: string;
  /** Path of the offending field, e.g. `messages[0].content` (OpenAI `param`). */
  param?: string | null;
  /** Machine code (OpenAI `code`), e.g. `model_not_found`. */
  code?: string | null;
  /** The upstream's own error `type` string, kept when rendering into the same protocol. */
  upstreamType?: string;
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
}

export class GatewayError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly param: string | null;
  readonly code: string | null;
  readonly upstreamType: string | undefined;
  readonly headers: Record<string, string>;

  constructor(init: GatewayErrorInit) {
    super(init.message);
    this.name = "GatewayError";
    this.kind = init.kind;
    this.status = init.status;
    this.param = init.param ?? null;
    this.code = init.code ?? null;
    this.upstreamType = init.upstreamType;
    this.headers = init.headers ?? {};
  }
}

export const invalidRequest = (message: string, param?: string, code?: string): GatewayError =>
  new GatewayError({ kind: "invalid_request", status: 400, message, param, code });

export const notFound = (message: string, param?: string, code?: string): GatewayError =>
  new GatewayError({ kind: "not_found", status: 404, message, param, code });

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
