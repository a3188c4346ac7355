import { GatewayError, invalidRequest } from "../errors/gateway-error.ts";

export const tooLarge = (limit: number): GatewayError =>
  new GatewayError({
    kind: "request_too_large",
    status: 413,
    message: `Request body is larger than the limit of ${limit} bytes.`,
    code: "request_too_large",
  });

/** Reads a JSON object body within the size limit; raw text is kept for the zero-copy path. */
export async function readJsonBody(
  request: Request,
  limit: number,
): Promise<{ text: string; json: Record<string, unknown> }> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const text = await request.text();
  // Length in UTF-16 units bounds the byte length from below; check bytes only when close.
  if (text.length > limit || (text.length * 3 > limit && Buffer.byteLength(text) > limit))
    throw tooLarge(limit);
  if (text.length === 0) throw invalidRequest("Request body is empty; expected a JSON object.");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidRequest(
      `Request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw invalidRequest("Request body must be a JSON object.");
  }
  return { text, json: json as Record<string, unknown> };
}
