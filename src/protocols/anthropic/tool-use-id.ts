/**
 * Anthropic accepts tool_use ids matching ^[a-zA-Z0-9_-]+$; other providers' ids may hold other
 * characters. The same deterministic rewrite is applied to tool_use.id and tool_result.tool_use_id
 * so the pair still matches.
 */
export function toAnthropicToolUseId(id: string): string {
  const cleaned = id.replace(/[^a-zA-Z0-9_-]/g, "_");
  return cleaned.length > 0 ? cleaned : "toolu_";
}
