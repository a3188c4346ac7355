/**
 * OpenAI Responses reasoning travels through other protocols' clients inside the IR's `signature`
 * fields, next to Anthropic thinking signatures and Gemini thought signatures (see
 * `../gemini/thought-signature.ts`). A vendor rejects another vendor's signature, so each is
 * marked by its issuer with a prefix that cannot occur in base64 (":"):
 *
 * - `openai:<reasoning item id>:<encrypted_content>`: a reasoning item of a Responses upstream,
 *   restored as that item (id and encrypted content) when the client sends the turn back.
 * - `gemini:…`: Gemini's own marks, unchanged.
 * - an unmarked signature is Anthropic's (the IR convention before this file).
 *
 * Toward a Responses *client* the same value must say who issued it inside `encrypted_content`,
 * so Anthropic's are marked there too (`anthropic:<sig>`, `anthropic:redacted:<data>`).
 */
const OPENAI_PREFIX = "openai:";
const ANTHROPIC_PREFIX = "anthropic:";
const ANTHROPIC_REDACTED_PREFIX = "anthropic:redacted:";

export const markOpenAIReasoning = (itemId: string, encryptedContent: string): string =>
  `${OPENAI_PREFIX}${itemId}:${encryptedContent}`;

export const isOpenAIReasoning = (stashed: string | undefined): boolean =>
  stashed?.startsWith(OPENAI_PREFIX) === true;

/** The item id and encrypted content of an `openai:<id>:<enc>` stash. */
export function readOpenAIReasoning(
  stashed: string | undefined,
): { itemId: string; encryptedContent: string } | undefined {
  if (!stashed?.startsWith(OPENAI_PREFIX)) return undefined;
  const rest = stashed.slice(OPENAI_PREFIX.length);
  const cut = rest.indexOf(":");
  if (cut < 0) return undefined;
  return { itemId: rest.slice(0, cut), encryptedContent: rest.slice(cut + 1) };
}

export const markAnthropicSignature = (signature: string): string => ANTHROPIC_PREFIX + signature;
export const markAnthropicRedacted = (data: string): string => ANTHROPIC_REDACTED_PREFIX + data;

/** An Anthropic signature or redacted payload from a client's `encrypted_content`. */
export function readAnthropicStash(
  stashed: string,
): { redacted: false; signature: string } | { redacted: true; data: string } | undefined {
  if (stashed.startsWith(ANTHROPIC_REDACTED_PREFIX))
    return { redacted: true, data: stashed.slice(ANTHROPIC_REDACTED_PREFIX.length) };
  if (stashed.startsWith(ANTHROPIC_PREFIX))
    return { redacted: false, signature: stashed.slice(ANTHROPIC_PREFIX.length) };
  return undefined;
}
