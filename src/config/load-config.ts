/**
 * Config loading, the entry point for `serve`, `check` and SIGHUP reloads:
 * YAML text → parsed document (with line numbers) → `${VAR}` expansion → schema check →
 * ResolvedConfig. Every problem of a file is collected and thrown at once in a ConfigError.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type Document, isAlias, LineCounter, parseDocument, visit } from "yaml";
import { ConfigError, type ConfigProblem } from "./config-error.ts";
import { type Env, expandEnv } from "./expand-env.ts";
import { ProblemList } from "./problem-list.ts";
import { resolveConfig } from "./resolve-config.ts";
import type { ResolvedConfig } from "./types.ts";
import { validateRawConfig } from "./validate-raw-config.ts";
import { createLineLocator } from "./yaml-locator.ts";

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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      path: "",
      line: lineCounter.linePos(e.pos[0]).line,
      message: `YAML syntax: ${yamlMessage(e.message)}`,
    }));
    throw new ConfigError(problems, source);
  }

  const problems = new ProblemList(createLineLocator(doc, lineCounter));
  let parsed: unknown;
  try {
    parsed = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    const line = unresolvedAliasLine(doc, lineCounter);
    const message = `YAML: ${yamlMessage((error as Error).message)}`;
    throw new ConfigError([line === undefined ? { path: "", message } : { path: "", line, message }], source);
  }
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(
      [{ path: "", line: 1, message: "the config must be a mapping of sections" }],
      source,
    );
  }

  const expanded = expandEnv(parsed, env, problems);
  if (!validateRawConfig(expanded, problems)) throw new ConfigError(inFileOrder(problems.problems), source);
  const config = resolveConfig(expanded, { source, baseDir: dirname(source), env }, problems);
  if (problems.problems.length > 0) throw new ConfigError(inFileOrder(problems.problems), source);
  return config;
}

/**
 * The YAML library's message without the source text some of them end with (`Unresolved tag:
 * !sk-…`, `Block scalar header includes extra characters: …`): it may be a secret. The line says where.
 */
function yamlMessage(message: string): string {
  const first = message.split("\n")[0] ?? "";
  const colon = first.indexOf(": ");
  return colon === -1 ? first : first.slice(0, colon);
}

/** The line of the first alias whose anchor is not defined before it, if any. */
function unresolvedAliasLine(doc: Document, lineCounter: LineCounter): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!isAlias(node) || node.resolve(doc) !== undefined) return;
      line = node.range ? lineCounter.linePos(node.range[0]).line : undefined;
      return visit.BREAK;
    },
  });
  return line;
}

/** Problems sorted by line (stable; those without a line last), the order an editor shows them. */
function inFileOrder(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.index - b.index)
    .map(({ problem }) => problem);
}
