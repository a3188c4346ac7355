import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { ConfigPath } from "./config-path.ts";

/** Finds the 1-based line of a config path in the parsed document. */
export type LineLocator = (path: ConfigPath, atKey?: boolean) => number | undefined;

/**
 * Walks the YAML AST along the path and returns the line of the deepest node reached, so a
 * missing property still points at its parent. `atKey` points at the map key instead of the
 * value (for "unknown key" problems).
 */
export function createLineLocator(doc: Document, lineCounter: LineCounter): LineLocator {
  return (path, atKey = false) => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node);
    let depth = 0;
    for (const [index, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(doc);
      let next: { offset: number | undefined; node: unknown } | undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (pair) {
          const onKey = atKey && index === path.length - 1;
          next = {
            offset: (onKey ? undefined : rangeStart(pair.value)) ?? rangeStart(pair.key),
            node: pair.value,
          };
        }
      } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
        const item: unknown = node.items[segment];
        next = { offset: rangeStart(item), node: item };
      }
      if (!next) break;
      offset = next.offset ?? offset;
      node = next.node;
      depth++;
    }
    // A missing last segment (a required key) points at its parent; the root or anything shallower is no help.
    const found = depth === path.length;
    if (offset === undefined || (!found && (depth === 0 || depth < path.length - 1))) return undefined;
    return lineCounter.linePos(offset).line;
  };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
