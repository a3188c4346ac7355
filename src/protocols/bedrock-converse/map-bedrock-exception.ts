/**
 * A Bedrock exception name (`ThrottlingException`, in a stream's `:exception-type` or an error
 * body's `__type`) → the error type clients know, in Anthropic's vocabulary (the encoders map it on).
 */
export function mapBedrockException(name: string): { errorType: string; status: number } {
  const bare = name.replace(/^.*#/, "").replace(/^./, (c) => c.toUpperCase());
  switch (bare) {
    case "ThrottlingException":
    case "ServiceQuotaExceededException":
      return { errorType: "rate_limit_error", status: 429 };
    case "ValidationException":
      return { errorType: "invalid_request_error", status: 400 };
    case "AccessDeniedException":
      return { errorType: "permission_error", status: 403 };
    case "ResourceNotFoundException":
      return { errorType: "not_found_error", status: 404 };
    case "ModelTimeoutException":
      return { errorType: "timeout_error", status: 408 };
    case "ServiceUnavailableException":
    case "ModelNotReadyException":
      return { errorType: "overloaded_error", status: 503 };
    default:
      return { errorType: "api_error", status: 500 };
  }
}
