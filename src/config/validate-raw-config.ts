import type { TSchema } from "@sinclair/typebox";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import type { ConfigPath } from "./config-path.ts";
import type { ProblemList } from "./problem-list.ts";
import { ConfigSchema, expectedOf, type RawConfig } from "./schema.ts";

// Checked by the interpreter, not a compiled check: a config is validated once per load or
// reload, and compiling the schema would cost more start-up time than every check it saves.

/** Records every schema violation of the expanded config; true when there were none. */
export function validateRawConfig(value: unknown, problems: ProblemList): value is RawConfig {
  if (Value.Check(ConfigSchema, value)) return true;
  for (const error of Value.Errors(ConfigSchema, value)) reportError(error, problems);
  return false;
}

function reportError(error: ValueError, problems: ProblemList): void {
  const path = toConfigPath(error.path);
  if (problems.has(path)) return;

  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const key = String(path[path.length - 1]);
    const known = Object.keys((error.schema as { properties?: Record<string, unknown> }).properties ?? {});
    const suggestion = closestKey(key, known);
    const hint = suggestion
      ? ` (did you mean \`${suggestion}\`?)`
      : known.length
        ? ` (known keys: ${known.join(", ")})`
        : "";
    problems.add(path, `unknown key \`${key}\`${hint}`, true);
    return;
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) {
    problems.add(path, "is required");
    return;
  }
  const expected = expectedOf(error.schema);
  if (expected) {
    problems.add(path, `expected ${expected}, got ${problems.describe(path, error.value)}`);
    return;
  }
  if (error.type === ValueErrorType.Union) {
    reportUnionError(error, problems, path);
    return;
  }
  problems.add(path, `${plainMessage(error.message)}, got ${problems.describe(path, error.value)}`);
}

/** TypeBox speaks JSON Schema (`Expected object`); config authors speak YAML (a mapping). */
function plainMessage(message: string): string {
  if (message === "Expected object") return "expected a mapping";
  if (message === "Expected array") return "expected a list";
  if (message === "Expected string") return "expected a string";
  return lowerFirst(message);
}

/**
 * A union failed as a whole: report the errors of the variant whose shape (string, list,
 * mapping) matches the value, which is the one the author meant; else list the shapes.
 */
function reportUnionError(error: ValueError, problems: ProblemList, path: ConfigPath): void {
  const variants = (error.schema as { anyOf?: TSchema[] }).anyOf ?? [];
  const index = variants.findIndex((variant) => shapeOf(variant) === shapeOfValue(error.value));
  const nested = index === -1 ? undefined : error.errors[index];
  if (nested) {
    const before = problems.problems.length;
    for (const inner of nested) reportError(inner, problems);
    if (problems.problems.length > before) return;
  }
  const shapes = [...new Set(variants.map(shapeOf))].filter((s) => s !== "null").map((s) => `a ${s}`);
  const list =
    shapes.length > 1 ? `${shapes.slice(0, -1).join(", ")} or ${shapes[shapes.length - 1]}` : shapes[0];
  problems.add(path, `expected ${list}, got ${problems.describe(path, error.value)}`);
}

type Shape = "string" | "number" | "boolean" | "list" | "mapping" | "null" | "other";

function shapeOf(schema: TSchema): Shape {
  const type: unknown = (schema as { type?: unknown }).type;
  if (type === "string") return "string";
  if (type === "number" || type === "integer") return "number";
  if (type === "boolean") return "boolean";
  if (type === "array") return "list";
  if (type === "object") return "mapping";
  if (type === "null") return "null";
  return "other";
}

function shapeOfValue(value: unknown): Shape {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "mapping";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return typeof value as Shape;
  return "other";
}

/** TypeBox reports JSON-pointer paths (`/auth/keys/0/rpm`); list indexes become numbers. */
function toConfigPath(pointer: string): ConfigPath {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => raw.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The known key within edit distance 2 of a typo, if any. */
function closestKey(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
