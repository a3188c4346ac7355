/**
 * Request validation for both client APIs: a compiled TypeBox check (the fast path, no
 * allocation on success, nothing stripped or coerced), and on failure one 400 GatewayError that
 * names the offending field: `messages[0].content: Expected string or array` (param
 * `messages[0].content`). Anthropic endpoints write the path the way Anthropic does
 * (`messages.0.content: …`); `param` is always the bracketed form.
 *
 * For unions TypeBox only says "Expected union value"; explainFailure picks the variant the
 * client evidently meant (by JSON kind, then by the `type`/`role` discriminator, then by the
 * deepest error) and reports that variant's error instead.
 */
import { Kind, OptionalKind, type TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import { type GatewayError, invalidRequest } from "../errors/gateway-error.ts";
import {
  type AnthropicCountTokensRequest,
  AnthropicCountTokensRequestSchema,
  type AnthropicMessagesRequest,
  AnthropicMessagesRequestSchema,
} from "./anthropic/schema.ts";
import { type OpenAIChatRequest, OpenAIChatRequestSchema } from "./openai/schema.ts";

export type { AnthropicCountTokensRequest, AnthropicMessagesRequest, OpenAIChatRequest };

type PathStyle = "openai" | "anthropic";

const openAIChatCheck = TypeCompiler.Compile(OpenAIChatRequestSchema);
const anthropicMessagesCheck = TypeCompiler.Compile(AnthropicMessagesRequestSchema);
const anthropicCountTokensCheck = TypeCompiler.Compile(AnthropicCountTokensRequestSchema);

export function validateOpenAIChatRequest(body: unknown): OpenAIChatRequest {
  if (openAIChatCheck.Check(body)) return body;
  throw explainFailure(OpenAIChatRequestSchema, body, "openai");
}

export function validateAnthropicMessagesRequest(body: unknown): AnthropicMessagesRequest {
  if (anthropicMessagesCheck.Check(body)) return body;
  throw explainFailure(AnthropicMessagesRequestSchema, body, "anthropic");
}

export function validateAnthropicCountTokensRequest(body: unknown): AnthropicCountTokensRequest {
  if (anthropicCountTokensCheck.Check(body)) return body;
  throw explainFailure(AnthropicCountTokensRequestSchema, body, "anthropic");
}

// ---------- explaining a failure (slow path only) ----------

interface Finding {
  /** JSON pointer of the offending value. */
  pointer: string;
  detail: string;
}

/** The 400 for a body that failed `schema`: the most specific error, its path in `style`. */
export function explainFailure(schema: TSchema, body: unknown, style: PathStyle): GatewayError {
  if (kindOf(body) !== "object") return invalidRequest("Request body must be a JSON object");
  const first = pickError(take(Value.Errors(schema, body)));
  if (!first) return invalidRequest("Invalid request body");
  const finding = narrow(first);
  const segments = decodePointer(finding.pointer);
  if (segments.length === 0) return invalidRequest(finding.detail);
  return invalidRequest(`${formatPath(segments, style)}: ${finding.detail}`, formatPath(segments, "openai"));
}

/** Follows union errors into the variant the client meant, until a concrete error is found. */
function narrow(error: ValueError): Finding {
  let current = error;
  for (let depth = 0; depth < 64; depth++) {
    if (current.type !== ValueErrorType.Union)
      return { pointer: current.path, detail: describeError(current) };
    const variants = (current.schema.anyOf ?? []) as TSchema[];
    // The iterators are single-use: read each variant's errors once.
    const firstErrors = current.errors.map((it) => pickError(take(it)));
    const choice = chooseVariant(variants, current.value, firstErrors);
    if ("detail" in choice) {
      return { pointer: choice.key ? `${current.path}/${choice.key}` : current.path, detail: choice.detail };
    }
    const next = firstErrors[choice.index];
    if (!next) return { pointer: current.path, detail: "Invalid value" };
    current = next;
  }
  return { pointer: current.path, detail: current.message };
}

/** At most `limit` errors: enough to choose well, bounded for huge malformed bodies. */
function take(errors: Iterable<ValueError>, limit = 32): ValueError[] {
  const out: ValueError[] = [];
  for (const e of errors) {
    out.push(e);
    if (out.length >= limit) break;
  }
  return out;
}

const parentOf = (pointer: string): string => pointer.slice(0, pointer.lastIndexOf("/"));

/**
 * The first error, unless a sibling field holds a wrong literal (`type`, `role`): then that one,
 * since a wrong discriminator explains the other errors of the object.
 */
function pickError(errors: ValueError[]): ValueError | undefined {
  const first = errors[0];
  if (!first) return undefined;
  const parent = parentOf(first.path);
  const literal = errors.find(
    (e) => e.type === ValueErrorType.Literal && e.value !== undefined && parentOf(e.path) === parent,
  );
  return literal ?? first;
}

type Choice = { index: number } | { key?: string; detail: string };

type JsonKind = "null" | "array" | "object" | "string" | "number" | "boolean" | "other";

function kindOf(value: unknown): JsonKind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const t = typeof value;
  if (t === "object" || t === "string" || t === "number" || t === "boolean") return t;
  return "other";
}

function chooseVariant(variants: TSchema[], value: unknown, firstErrors: (ValueError | undefined)[]): Choice {
  let candidates = variants.map((_, i) => i).filter((i) => accepts(variants[i]!, value));
  if (candidates.length === 0) return { detail: expectedOneOf(variants, value) };
  if (candidates.length > 1 && kindOf(value) === "object") {
    const record = value as Record<string, unknown>;
    for (const key of discriminators(candidates.map((i) => variants[i]!))) {
      const matching = candidates.filter((i) => discriminatorMatches(variants[i]!, key, record[key]));
      if (matching.length === 0) {
        if (record[key] === undefined) return { key, detail: "Field required" };
        const literals = candidates.flatMap((i) => literalsOf(propertyOf(variants[i]!, key)));
        return { key, detail: invalidValue(record[key], literals) };
      }
      candidates = matching;
      if (candidates.length === 1) break;
    }
  }
  if (candidates.length === 1) return { index: candidates[0]! };
  // Still ambiguous: the variant that got furthest into the value is the likeliest intent.
  let best = candidates[0]!;
  for (const i of candidates) {
    if ((firstErrors[i]?.path.length ?? 0) > (firstErrors[best]?.path.length ?? 0)) best = i;
  }
  return { index: best };
}

const unwrap = (schema: TSchema): TSchema[] =>
  schema[Kind] === "Union" ? ((schema.anyOf ?? []) as TSchema[]).flatMap(unwrap) : [schema];

/** Whether the value has a JSON kind the schema could accept (a literal must also be equal). */
function accepts(schema: TSchema, value: unknown): boolean {
  const kind = kindOf(value);
  return unwrap(schema).some((s) => {
    switch (s[Kind]) {
      case "Literal":
        return s.const === value;
      case "String":
        return kind === "string";
      case "Number":
        return kind === "number";
      case "Integer":
        return kind === "number";
      case "Boolean":
        return kind === "boolean";
      case "Null":
        return kind === "null";
      case "Array":
        return kind === "array";
      case "Object":
      case "Record":
        return kind === "object";
      default:
        return true;
    }
  });
}

function propertyOf(schema: TSchema, key: string): TSchema | undefined {
  const props = schema.properties as Record<string, TSchema> | undefined;
  return props?.[key];
}

function literalsOf(schema: TSchema | undefined): unknown[] {
  return schema ? unwrap(schema).flatMap((s) => (s[Kind] === "Literal" ? [s.const] : [])) : [];
}

/** Properties that are literal in some candidate: `type` and `role` first. */
function discriminators(candidates: TSchema[]): string[] {
  const keys = new Set<string>();
  for (const c of candidates) {
    const props = (c.properties ?? {}) as Record<string, TSchema>;
    for (const [k, s] of Object.entries(props)) if (literalsOf(s).length) keys.add(k);
  }
  return [...keys].sort((a, b) => rank(a) - rank(b));
}

const rank = (key: string): number => (key === "type" ? 0 : key === "role" ? 1 : 2);

function discriminatorMatches(variant: TSchema, key: string, value: unknown): boolean {
  const prop = propertyOf(variant, key);
  if (!prop) return true; // the variant does not constrain this key
  if (value === undefined) return prop[OptionalKind] === "Optional";
  const literals = literalsOf(prop);
  if (literals.length && unwrap(prop).every((s) => s[Kind] === "Literal" || s[Kind] === "Null")) {
    return literals.includes(value) || (value === null && unwrap(prop).some((s) => s[Kind] === "Null"));
  }
  return Value.Check(prop, value);
}

function describeKind(schema: TSchema): string[] {
  switch (schema[Kind]) {
    case "Literal":
      return [show(schema.const)];
    case "String":
      return ["string"];
    case "Number":
      return ["number"];
    case "Integer":
      return ["integer"];
    case "Boolean":
      return ["boolean"];
    case "Null":
      return ["null"];
    case "Array":
      return ["array"];
    case "Object":
    case "Record":
      return ["object"];
    default:
      return [];
  }
}

function expectedOneOf(variants: TSchema[], value: unknown): string {
  const flat = variants.flatMap(unwrap);
  if (flat.every((s) => s[Kind] === "Literal" || s[Kind] === "Null")) {
    return invalidValue(
      value,
      flat.map((s) => (s[Kind] === "Null" ? null : s.const)),
    );
  }
  const kinds = [...new Set(flat.flatMap(describeKind))];
  return `Expected ${joinOr(kinds)}`;
}

function invalidValue(value: unknown, allowed: unknown[]): string {
  return `Invalid value ${show(value)}; expected one of ${[...new Set(allowed)].map(show).join(", ")}`;
}

const joinOr = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? "a valid value") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;

function show(value: unknown): string {
  if (typeof value === "string") {
    const s = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `'${s}'`;
  }
  const kind = kindOf(value);
  if (kind === "object" || kind === "array") return `an ${kind}`;
  return String(value);
}

function describeError(error: ValueError): string {
  const s = error.schema;
  // JSON has no undefined: an undefined value is a missing property (TypeBox reports its type).
  if (error.value === undefined) return "Field required";
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return "Field required";
    case ValueErrorType.String:
      return "Expected string";
    case ValueErrorType.Number:
      return "Expected number";
    case ValueErrorType.Integer:
      return kindOf(error.value) === "number" ? "Expected an integer" : "Expected integer";
    case ValueErrorType.Boolean:
      return "Expected boolean";
    case ValueErrorType.Array:
      return "Expected array";
    case ValueErrorType.Object:
      return "Expected object";
    case ValueErrorType.Null:
      return "Expected null";
    case ValueErrorType.Literal:
      return invalidValue(error.value, [s.const]);
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `Must be greater than or equal to ${s.minimum}`;
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `Must be less than or equal to ${s.maximum}`;
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return `Must be greater than ${s.exclusiveMinimum}`;
    case ValueErrorType.NumberExclusiveMaximum:
    case ValueErrorType.IntegerExclusiveMaximum:
      return `Must be less than ${s.exclusiveMaximum}`;
    case ValueErrorType.ArrayMinItems:
      return `Expected at least ${s.minItems} item${s.minItems === 1 ? "" : "s"}`;
    case ValueErrorType.ArrayMaxItems:
      return `Expected at most ${s.maxItems} item${s.maxItems === 1 ? "" : "s"}`;
    case ValueErrorType.StringMinLength:
      return s.minLength === 1 ? "Must not be empty" : `Expected at least ${s.minLength} characters`;
    case ValueErrorType.StringMaxLength:
      return `Expected at most ${s.maxLength} characters`;
    default:
      return error.message;
  }
}

function decodePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `messages[0].content` (OpenAI) or `messages.0.content` (Anthropic). */
export function formatPath(segments: string[], style: PathStyle): string {
  if (style === "anthropic") return segments.join(".");
  let out = "";
  for (const seg of segments) {
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
