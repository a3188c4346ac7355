/**
 * A rough input-token estimate for requests that cannot be counted exactly (count_tokens on
 * non-Anthropic targets, Anthropic `message_start` before the upstream reports usage, rate-limit
 * pre-checks): about four characters of text per token, plus a few tokens of framing per
 * message. It is an estimate and says so (`x-switchboard-estimated: true`).
 */
export function estimateInputTokens(body: Record<string, unknown>): number {
  let characters = 0;
  let messages = 0;
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      characters += value.length;
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      // Base64 media is billed by image size, not by characters; count a flat amount.
      if (record.type === "base64" || record.type === "image") {
        characters += 4 * 1500;
        return;
      }
      for (const [key, item] of Object.entries(record)) {
        if (key === "signature" || key === "data" || key === "cache_control") continue;
        visit(item);
      }
    }
  };
  visit(body.system);
  visit(body.tools);
  if (Array.isArray(body.messages)) {
    messages = body.messages.length;
    visit(body.messages);
  }
  return Math.max(1, Math.ceil(characters / 4) + messages * 4);
}
