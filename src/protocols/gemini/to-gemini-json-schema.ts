/**
 * Client JSON Schema → the schema sent as Gemini `parametersJsonSchema` / `responseJsonSchema`.
 *
 * Those two fields take real JSON Schema (anyOf, type arrays, additionalProperties, nullable
 * unions all pass), unlike the older OpenAPI-subset `parameters` / `responseSchema`, so only what
 * Gemini still rejects is rewritten:
 * - `$ref` is inlined from the same document (Gemini refuses a `$ref` with sibling keywords, and
 *   tool schemas from pydantic/zod are full of them); `$defs`/`definitions` then go. A cyclic ref
 *   becomes `{ "type": "object" }` (keeping its description), since Gemini cannot express it.
 * - `$schema`, `$id`, `$anchor`, `$comment` and `examples` are removed.
 * - `const` becomes a one-value `enum`.
 */
import { isRecord } from "../../ir/guards.ts";

type Schema = Record<string, unknown>;

const REMOVED = new Set(["$schema", "$id", "$anchor", "$comment", "$defs", "definitions", "examples"]);
/** Keywords whose value is one schema. */
const SINGLE = new Set(["items", "additionalProperties", "not", "contains", "if", "then", "else"]);
/** Keywords whose value is a list of schemas. */
const LIST = new Set(["anyOf", "oneOf", "allOf", "prefixItems"]);
/** Keywords whose value maps names to schemas (the names are data, not keywords). */
const MAP = new Set(["properties", "patternProperties", "dependentSchemas"]);

const MAX_DEPTH = 64;

function resolvePointer(root: Schema, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isRecord(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function cleanNode(node: unknown, root: Schema, expanding: string[]): unknown {
  if (!isRecord(node)) return node;
  if (expanding.length > MAX_DEPTH) return { type: "object" };

  if (typeof node.$ref === "string") {
    const ref = node.$ref;
    const target = resolvePointer(root, ref);
    const { $ref: _ignored, ...siblings } = node;
    if (expanding.includes(ref) || !isRecord(target)) {
      const fallback: Schema = { type: "object" };
      if (typeof siblings.description === "string") fallback.description = siblings.description;
      return fallback;
    }
    const inlined = cleanNode(target, root, [...expanding, ref]);
    const rest = cleanNode(siblings, root, expanding);
    return { ...(isRecord(inlined) ? inlined : {}), ...(isRecord(rest) ? rest : {}) };
  }

  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (REMOVED.has(key)) continue;
    if (key === "const") {
      if (!("enum" in node)) out.enum = [value];
      continue;
    }
    if (SINGLE.has(key)) out[key] = cleanNode(value, root, expanding);
    else if (LIST.has(key) && Array.isArray(value))
      out[key] = value.map((v) => cleanNode(v, root, expanding));
    else if (MAP.has(key) && isRecord(value)) {
      const mapped: Schema = {};
      for (const [name, sub] of Object.entries(value)) mapped[name] = cleanNode(sub, root, expanding);
      out[key] = mapped;
    } else out[key] = value;
  }
  return out;
}

/** Returns a cleaned copy; the input is never modified. */
export function toGeminiJsonSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const cleaned = cleanNode(schema, schema, []);
  return isRecord(cleaned) ? cleaned : {};
}

/**
 * Tool parameters: a function without parameters is declared without a schema (Gemini rejects an
 * OBJECT with no properties in some model versions), and a bare `properties` gets its type.
 */
export function toGeminiParameters(parameters: Record<string, unknown>): Record<string, unknown> | undefined {
  const cleaned = toGeminiJsonSchema(parameters);
  const properties = cleaned.properties;
  const hasProperties = isRecord(properties) && Object.keys(properties).length > 0;
  const composite = ["anyOf", "oneOf", "allOf"].some((k) => k in cleaned);
  if (!hasProperties && !composite && (cleaned.type === undefined || cleaned.type === "object"))
    return undefined;
  if (cleaned.type === undefined && hasProperties) return { type: "object", ...cleaned };
  return cleaned;
}
