import type { ConfigPath } from "./config-path.ts";

/**
 * How a config problem shows the value it rejects. A value is echoed only when it can hold no
 * secret: never under a secret-bearing field, never when it came from the environment (a
 * `${VAR}` may hold anything). Then only its kind is shown; the file, line and field say where.
 */

// Fields whose value is a credential, or a URL that may carry one (`postgres://user:pass@…`).
const SECRET_FIELDS = new Set([
  "api_key",
  "key",
  "master_key",
  "master_key_sha256",
  "key_sha256",
  "client_secret",
  "aws_secret_access_key",
  "aws_session_token",
]);
const SECRET_SECTIONS: ReadonlyArray<readonly [string, string]> = [
  ["usage", "store"],
  ["limits", "store"],
];

/** True for a field whose value must never appear in output. */
export function holdsSecret(path: ConfigPath): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === "string" && SECRET_FIELDS.has(last)) return true;
  if (parent === "headers") return true;
  // `providers.x.keys[0]` (a bare key string)
  if (path[0] === "providers" && parent === "keys" && typeof last === "number") return true;
  return SECRET_SECTIONS.some(
    ([section, field]) => path.length === 2 && path[0] === section && last === field,
  );
}

export interface ValueOrigin {
  /** The field holds a secret (holdsSecret). */
  secret: boolean;
  /** Names of the environment variables expanded into the value, if any. */
  fromEnv?: readonly string[];
}

/** `"30x"`, `-5`, `a mapping`; or, for a secret or a value from the environment, only its kind. */
export function describeValue(value: unknown, origin: ValueOrigin): string {
  const hidden = origin.secret || (origin.fromEnv?.length ?? 0) > 0;
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number") return hidden ? "a number" : String(value);
  if (typeof value === "boolean") return hidden ? "a boolean" : String(value);
  if (typeof value !== "string") return "a value";
  if (!hidden) return value.length > 40 ? `"${value.slice(0, 40)}…"` : JSON.stringify(value);
  const vars = origin.fromEnv?.length
    ? ` from ${origin.fromEnv.map((name) => `\${${name}}`).join(", ")}`
    : "";
  return `a string${vars} (not shown)`;
}
