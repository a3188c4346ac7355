/** One thing wrong with a config: where (YAML path, line when known) and what. */
export interface ConfigProblem {
  /** Dotted YAML path such as `providers.openai.timeout` or `auth.keys[0].rpm`; empty for the whole file. */
  path: string;
  /** 1-based line in the config file, when the problem maps to a node of it. */
  line?: number;
  message: string;
}

/** Thrown by the loaders with every problem found, so an operator fixes them all in one pass. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[], source?: string | null) {
    const where = source ? ` in ${source}` : "";
    super(`${problems.length} config problem${problems.length === 1 ? "" : "s"}${where}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** One line per problem: `path (line N): message`. */
export function formatConfigProblems(err: ConfigError): string {
  return err.problems
    .map((p) => {
      const where = p.path === "" ? "(config)" : p.path;
      const line = p.line === undefined ? "" : ` (line ${p.line})`;
      return `${where}${line}: ${p.message}`;
    })
    .join("\n");
}
