/**
 * The path to the first array or object nested deeper than `limit` (the top level is depth 1),
 * or null. Walks the parsed value, never deeper than `limit + 1`, so a hostile body cannot
 * overflow the stack here, and later code (JSON.stringify, codecs) never sees such a body.
 */
export function findTooDeep(value: unknown, limit: number): Array<string | number> | null {
  const path: Array<string | number> = [];
  const visit = (node: object, depth: number): boolean => {
    if (depth > limit) return true;
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        const child = node[index];
        if (typeof child !== "object" || child === null) continue;
        path.push(index);
        if (visit(child, depth + 1)) return true;
        path.pop();
      }
      return false;
    }
    for (const key in node) {
      const child = (node as Record<string, unknown>)[key];
      if (typeof child !== "object" || child === null) continue;
      path.push(key);
      if (visit(child, depth + 1)) return true;
      path.pop();
    }
    return false;
  };
  if (typeof value !== "object" || value === null) return null;
  return visit(value, 1) ? path : null;
}

/** `messages[0].content`-style rendering of a path, elided in the middle when long. */
export function formatJsonPath(path: Array<string | number>): string {
  const segments = path.map((segment, index) =>
    typeof segment === "number" ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
  );
  if (segments.length <= 12) return segments.join("");
  return `${segments.slice(0, 6).join("")}…${segments.slice(-4).join("")}`;
}
