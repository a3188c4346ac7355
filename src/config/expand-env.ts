import type { ConfigPath } from "./config-path.ts";
import { holdsSecret } from "./describe-value.ts";
import type { ProblemList } from "./problem-list.ts";

export type Env = Record<string, string | undefined>;

// `$${` is an escaped literal `${`; otherwise `${NAME}` or `${NAME:-default}` (default up to the first `}`).
const REFERENCE = /\$\$\{|\$\{([^}]*)\}?/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expands `${VAR}` and `${VAR:-default}` in every string value of the parsed config (never in
 * keys, never before parsing, so a variable cannot inject YAML structure). A variable that is
 * unset or empty with no default is a problem naming the variable and the path.
 */
export function expandEnv(
  value: unknown,
  env: Env,
  problems: ProblemList,
  path: ConfigPath = [],
  ancestors: Set<object> = new Set(),
): unknown {
  if (typeof value === "string") return expandString(value, env, problems, path);
  if (value === null || typeof value !== "object") return value;
  // A YAML alias may refer to its own ancestor (`a: &x [*x]`): report it rather than recurse forever.
  if (ancestors.has(value)) {
    problems.add(path, "a YAML alias refers to a node that contains it");
    return null;
  }
  ancestors.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((item, i) => expandEnv(item, env, problems, [...path, i], ancestors));
  } else {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = expandEnv(item, env, problems, [...path, key], ancestors);
    }
    out = copy;
  }
  ancestors.delete(value);
  return out;
}

/** One string; exported for the zero-config path and tests. */
export function expandString(text: string, env: Env, problems: ProblemList, path: ConfigPath): string {
  if (!text.includes("${")) return text;
  return text.replace(REFERENCE, (match: string, body: string | undefined) => {
    if (match === "$${") return "${";
    if (!match.endsWith("}")) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the literal syntax
      problems.add(path, "unterminated ${...} reference (write $${ for a literal ${)");
      return "";
    }
    const separator = body!.indexOf(":-");
    const name = separator === -1 ? body! : body!.slice(0, separator);
    if (!NAME.test(name)) {
      // In a secret field the text between the braces may be the secret itself, pasted wrongly.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the literal syntax
      const shown = holdsSecret(path) ? "this ${…}" : `\${${body}}`;
      problems.add(path, `${shown} is not a valid variable reference (use \${NAME} or \${NAME:-default})`);
      return "";
    }
    const current = env[name];
    if (current !== undefined && current !== "") {
      problems.markFromEnv(path, name);
      return current;
    }
    if (separator !== -1) return body!.slice(separator + 2);
    problems.add(path, `environment variable ${name} is not set (or is empty) and has no default`);
    return "";
  });
}
