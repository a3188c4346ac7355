/**
 * Gemini thoughtSignatures travel through clients inside the IR's `signature` fields, which also
 * carry Anthropic thinking signatures. A signature from one vendor is rejected by the other, so the
 * Gemini codec marks the ones it hands out with a prefix that cannot occur in base64 (":"), and only
 * sends marked ones back. Other codecs can use `isGeminiSignature` to drop ours.
 */
const PREFIX = "gemini:";

export const markGeminiSignature = (signature: string): string => PREFIX + signature;

export const isGeminiSignature = (stashed: string | undefined): boolean =>
  stashed?.startsWith(PREFIX) === true;

/** The raw Gemini signature, or undefined when the stashed one came from somewhere else. */
export function readGeminiSignature(stashed: string | undefined): string | undefined {
  return stashed?.startsWith(PREFIX) && stashed.length > PREFIX.length
    ? stashed.slice(PREFIX.length)
    : undefined;
}

/**
 * Gemini 3 rejects a replayed functionCall part without a signature (history from another model or
 * a client that lost it); Google documents this value as the way to skip the check.
 */
export const SKIP_SIGNATURE_VALIDATION = "skip_thought_signature_validator";
