/**
 * Gemini thoughtSignatures travel through clients inside the IR's `signature` fields, which also
 * carry Anthropic thinking signatures. A signature from one vendor is rejected by the other, so the
 * Gemini codec marks the ones it hands out with a prefix that cannot occur in base64 (":"), and only
 * sends marked ones back. Other codecs can use `isGeminiSignature` to drop ours.
 *
 * Three forms:
 * - `gemini:<sig>`: the signature of the thought part it is on.
 * - `gemini:text:<sig>`: the signature of the answer-text part that follows (in a stream it lands
 *   on whatever thinking block is open, so it must say where it really belongs).
 * - `gemini:call:<toolCallId>:<sig>`: the signature of a functionCall part, carried in an empty
 *   reasoning part so that client protocols with no place for a tool-call signature (OpenAI
 *   `reasoning_details`, Anthropic `thinking` blocks) still bring it back; the tool call id says
 *   which call it belongs to, whatever order the client returns the blocks in.
 */
const PREFIX = "gemini:";
const CALL_PREFIX = "gemini:call:";
const TEXT_PREFIX = "gemini:text:";

export const markGeminiSignature = (signature: string): string => PREFIX + signature;

export const markGeminiTextSignature = (signature: string): string => TEXT_PREFIX + signature;

export const markGeminiCallSignature = (toolCallId: string, signature: string): string =>
  `${CALL_PREFIX}${toolCallId}:${signature}`;

export const isGeminiSignature = (stashed: string | undefined): boolean =>
  stashed?.startsWith(PREFIX) === true;

/** The raw signature of a `gemini:<sig>` stash; undefined for text/call-bound or foreign ones. */
export function readGeminiSignature(stashed: string | undefined): string | undefined {
  if (!stashed?.startsWith(PREFIX) || stashed.startsWith(CALL_PREFIX) || stashed.startsWith(TEXT_PREFIX)) {
    return undefined;
  }
  return stashed.length > PREFIX.length ? stashed.slice(PREFIX.length) : undefined;
}

/** The raw signature of a `gemini:text:<sig>` stash. */
export function readGeminiTextSignature(stashed: string | undefined): string | undefined {
  return stashed?.startsWith(TEXT_PREFIX) && stashed.length > TEXT_PREFIX.length
    ? stashed.slice(TEXT_PREFIX.length)
    : undefined;
}

/** The tool call id and raw signature of a `gemini:call:<id>:<sig>` stash. */
export function readGeminiCallSignature(
  stashed: string | undefined,
): { toolCallId: string; signature: string } | undefined {
  if (!stashed?.startsWith(CALL_PREFIX)) return undefined;
  const rest = stashed.slice(CALL_PREFIX.length);
  // base64 has no ":", so the last one separates the id (which might contain one) from the signature.
  const cut = rest.lastIndexOf(":");
  if (cut <= 0 || cut === rest.length - 1) return undefined;
  return { toolCallId: rest.slice(0, cut), signature: rest.slice(cut + 1) };
}

/**
 * Gemini 3 rejects a replayed functionCall part without a signature (history from another model or
 * a client that lost it); Google documents this value as the way to skip the check.
 */
export const SKIP_SIGNATURE_VALIDATION = "skip_thought_signature_validator";
