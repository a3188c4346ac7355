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
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import { type GatewayError, invalidRequest } from "../errors/gateway-error.ts";
import type { AnthropicCountTokensRequest, AnthropicMessagesRequest } from "./anthropic/schema.ts";
import type { OpenAIChatRequest } from "./openai/schema.ts";
import { type RequestSchemas, requestSchema } from "./request-schemas.ts";
import type { ResponsesRequest } from "./responses/schema.ts";

export type { AnthropicCountTokensRequest, AnthropicMessagesRequest, OpenAIChatRequest, ResponsesRequest };

type PathStyle = "openai" | "anthropic";

// Compiled on first use, each on its protocol's first request (10–30 ms, once): compiled up front,
// the four held ~9 MB of idle RSS and delayed the first /ready (docs/performance.md, "Footprint").
let openAIChatCheck: TypeCheck<RequestSchemas["OpenAIChatRequest"]> | undefined;
let anthropicMessagesCheck: TypeCheck<RequestSchemas["AnthropicMessagesRequest"]> | undefined;
let anthropicCountTokensCheck: TypeCheck<RequestSchemas["AnthropicCountTokensRequest"]> | undefined;
let responsesCheck: TypeCheck<RequestSchemas["ResponsesRequest"]> | undefined;

const compileOpenAIChat = () =>
  (openAIChatCheck ??= TypeCompiler.Compile(requestSchema("OpenAIChatRequest")));
const compileAnthropicMessages = () =>
  (anthropicMessagesCheck ??= TypeCompiler.Compile(requestSchema("AnthropicMessagesRequest")));
const compileAnthropicCountTokens = () =>
  (anthropicCountTokensCheck ??= TypeCompiler.Compile(requestSchema("AnthropicCountTokensRequest")));

const compileResponses = () => (responsesCheck ??= TypeCompiler.Compile(requestSchema("ResponsesRequest")));

export function validateOpenAIChatRequest(body: unknown): OpenAIChatRequest {
  if (compileOpenAIChat().Check(body)) return body;
  throw explainFailure(requestSchema("OpenAIChatRequest"), body, "openai");
}

export function validateAnthropicMessagesRequest(body: unknown): AnthropicMessagesRequest {
  if (compileAnthropicMessages().Check(body)) return body;
  throw explainFailure(requestSchema("AnthropicMessagesRequest"), body, "anthropic");
}

export function validateAnthropicCountTokensRequest(body: unknown): AnthropicCountTokensRequest {
  if (compileAnthropicCountTokens().Check(body)) return body;
  throw explainFailure(requestSchema("AnthropicCountTokensRequest"), body, "anthropic");
}

export function validateResponsesRequest(body: unknown): ResponsesRequest {
  if (compileResponses().Check(body)) return body;
  throw explainFailure(requestSchema("ResponsesRequest"), body, "openai");
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
  const finding = findError(schema, body, "") ?? { pointer: "", detail: "Invalid request body" };
  const segments = decodePointer(finding.pointer);
  if (segments.length === 0) return invalidRequest(finding.detail);
  return invalidRequest(`${formatPath(segments, style)}: ${finding.detail}`, formatPath(segments, "openai"));
}

/** Sub-schema checks, compiled on first use: the descent below stays linear in the body's size. */
const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function isValid(schema: TSchema, value: unknown): boolean {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check.Check(value);
}

const child = (pointer: string, key: string | number): string =>
  `${pointer}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;

/**
 * The first error under `pointer`, found by descending only into the member that fails its own
 * compiled check (TypeBox's interpreted error iterator re-checks every union member of every
 * message: ~70 ms on a 200 KB body). Undefined when the value is valid.
 */
function findError(schema: TSchema, value: unknown, pointer: string): Finding | undefined {
  switch (schema[Kind]) {
    case "Union": {
      const variants = (schema.anyOf ?? []) as TSchema[];
      const choice = chooseVariant(variants, value, pointer);
      if ("detail" in choice)
        return { pointer: choice.key ? child(pointer, choice.key) : pointer, detail: choice.detail };
      return findError(variants[choice.index]!, value, pointer);
    }
    case "Object": {
      if (kindOf(value) !== "object") return leafError(schema, value, pointer);
      const record = value as Record<string, unknown>;
      const props = Object.entries((schema.properties ?? {}) as Record<string, TSchema>);
      // A wrong `type`/`role` explains every other error of the object: report it first.
      for (const [key, prop] of props) {
        if (record[key] !== undefined && prop[Kind] === "Literal" && record[key] !== prop.const)
          return { pointer: child(pointer, key), detail: invalidValue(record[key], [prop.const]) };
      }
      for (const [key, prop] of props) {
        const member = record[key];
        if (member === undefined) {
          if (prop[OptionalKind] !== "Optional")
            return { pointer: child(pointer, key), detail: "Field required" };
        } else if (!isValid(prop, member)) {
          return findError(prop, member, child(pointer, key));
        }
      }
      return leafError(schema, value, pointer);
    }
    case "Array": {
      if (!Array.isArray(value)) return leafError(schema, value, pointer);
      const items = schema.items as TSchema;
      for (let i = 0; i < value.length; i++) {
        if (!isValid(items, value[i])) return findError(items, value[i], child(pointer, i));
      }
      return leafError(schema, value, pointer);
    }
    case "Record": {
      if (kindOf(value) !== "object") return leafError(schema, value, pointer);
      const valueSchema = Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>)[0];
      if (valueSchema) {
        for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
          if (!isValid(valueSchema, member)) return findError(valueSchema, member, child(pointer, key));
        }
      }
      return leafError(schema, value, pointer);
    }
    default:
      return leafError(schema, value, pointer);
  }
}

/** A scalar, or a container whose members are valid but which breaks its own limits (minItems). */
function leafError(schema: TSchema, value: unknown, pointer: string): Finding | undefined {
  const error = Value.Errors(schema, value).First();
  return error ? { pointer: pointer + error.path, detail: describeError(error) } : undefined;
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

function chooseVariant(variants: TSchema[], value: unknown, pointer: string): Choice {
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
  // Still ambiguous: the variant that gets furthest into the value is the likeliest intent.
  let best = candidates[0]!;
  let bestDepth = -1;
  for (const i of candidates) {
    const depth = findError(variants[i]!, value, pointer)?.pointer.length ?? Number.POSITIVE_INFINITY;
    if (depth > bestDepth) {
      best = i;
      bestDepth = depth;
    }
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
  return isValid(prop, value);
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
  // Objects told apart by `type` (an image `source`, a `tool_choice`): show the shapes expected.
  if (flat.every((s) => s[Kind] === "Object" && literalsOf(propertyOf(s, "type")).length === 1)) {
    return `Expected an object such as ${joinOr(flat.map(describeShape))}, not ${showKind(value)}`;
  }
  const kinds = [...new Set(flat.flatMap(describeKind))];
  return `Expected ${joinOr(kinds)}`;
}

/** `{type: "url", url}`: the discriminator's value and the other required members. */
function describeShape(schema: TSchema): string {
  const props = Object.entries((schema.properties ?? {}) as Record<string, TSchema>);
  const members = props
    .filter(([key, prop]) => key === "type" || prop[OptionalKind] !== "Optional")
    .map(([key, prop]) => (key === "type" ? `type: ${JSON.stringify(literalsOf(prop)[0])}` : key));
  return `{${members.join(", ")}}`;
}

function showKind(value: unknown): string {
  const kind = kindOf(value);
  return kind === "array" || kind === "object" ? `an ${kind}` : kind === "null" ? "null" : `a ${kind}`;
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
