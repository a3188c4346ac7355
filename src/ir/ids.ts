/** Ids for things the upstream did not name (tool calls without id, responses without id). */
export function generateId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let out = "";
  for (const b of bytes) out += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[b % 62];
  return `${prefix}${out}`;
}
