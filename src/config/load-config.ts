/**
 * Config loading, the entry point for `serve`, `check` and SIGHUP reloads:
 * YAML text → parsed value → `${VAR}` expansion → schema check → ResolvedConfig. Every problem
 * of a file is collected and thrown at once in a ConfigError, each with its line: a file with a
 * problem is always read (again) by the `yaml` library (yaml-document.ts), whose document knows
 * where each value came from.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, type ConfigProblem } from "./config-error.ts";
import { type Env, expandEnv } from "./expand-env.ts";
import { parsePlainYaml } from "./plain-yaml.ts";
import { ProblemList } from "./problem-list.ts";
import { resolveConfig } from "./resolve-config.ts";
import type { ResolvedConfig } from "./types.ts";
import { validateRawConfig } from "./validate-raw-config.ts";
import type { LineLocator } from "./yaml-locator.ts";

export { ConfigError, type ConfigProblem, formatConfigProblems } from "./config-error.ts";
export { findConfigPath } from "./find-config-path.ts";
export { zeroConfig } from "./zero-config.ts";

/** Reads and resolves a config file; throws ConfigError listing every problem. */
export function loadConfigFile(path: string, env: Env = process.env): ResolvedConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ConfigError(
      [{ path: "", message: `cannot read config file ${absolute} (${reason})` }],
      absolute,
    );
  }
  return loadConfigFromText(text, absolute, env);
}

/** Same as loadConfigFile for text already in memory; `sourcePath` anchors relative paths. */
export function loadConfigFromText(text: string, sourcePath: string, env: Env = process.env): ResolvedConfig {
  const source = resolve(sourcePath);
  // Bun's native parser reads text it reads exactly as the library would (plain-yaml.ts); the
  // library reads the rest, and locates problems in plain text too, only when there is one.
  const plain = parsePlainYaml(text);
  const { value, locate } = plain
    ? { value: plain.value, locate: locateOnDemand(text, source) }
    : yamlDocument().readYamlDocument(text, source);
  const parsed = value ?? {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(
      [{ path: "", line: 1, message: "the config must be a mapping of sections" }],
      source,
    );
  }

  const problems = new ProblemList(locate);
  const expanded = expandEnv(parsed, env, problems);
  if (!validateRawConfig(expanded, problems)) throw new ConfigError(inFileOrder(problems.problems), source);
  const config = resolveConfig(expanded, { source, baseDir: dirname(source), env }, problems);
  if (problems.problems.length > 0) throw new ConfigError(inFileOrder(problems.problems), source);
  return config;
}

/**
 * The `yaml` library's reading, loaded on first use (synchronously: SIGHUP reloads and `check`
 * call this too), so a plain config that holds no problem starts without evaluating the library.
 */
function yamlDocument(): typeof import("./yaml-document.ts") {
  return require("./yaml-document.ts");
}

/** Lines for the problems of text the fast path read: the library reads it on the first call only. */
function locateOnDemand(text: string, source: string): LineLocator {
  let locate: LineLocator | undefined;
  return (path, atKey) => {
    locate ??= yamlDocument().readYamlDocument(text, source).locate;
    return locate(path, atKey);
  };
}

/** Problems sorted by line (stable; those without a line last), the order an editor shows them. */
function inFileOrder(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.index - b.index)
    .map(({ problem }) => problem);
}
