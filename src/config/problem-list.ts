import type { ConfigProblem } from "./config-error.ts";
import { type ConfigPath, formatConfigPath } from "./config-path.ts";
import { describeValue, holdsSecret } from "./describe-value.ts";
import type { LineLocator } from "./yaml-locator.ts";

/** Collects every problem (and warning) of one load, each with its path and line. */
export class ProblemList {
  readonly problems: ConfigProblem[] = [];
  readonly warnings: string[] = [];
  /** Paths already reported, so one bad value yields one problem, not a cascade. */
  private readonly reported = new Set<string>();
  /** Paths whose value had `${VAR}`s expanded into it, with the variables' names. */
  private readonly fromEnv = new Map<string, string[]>();

  constructor(private readonly locate?: LineLocator) {}

  add(path: ConfigPath, message: string, atKey = false): void {
    const formatted = formatConfigPath(path);
    const key = `${formatted}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.reported.add(formatted);
    const line = this.locate?.(path, atKey);
    this.problems.push(
      line === undefined ? { path: formatted, message } : { path: formatted, line, message },
    );
  }

  /** True when a problem was already recorded at exactly this path. */
  has(path: ConfigPath): boolean {
    return this.reported.has(formatConfigPath(path));
  }

  /** Records that the environment variable `name` was expanded into the value at `path`. */
  markFromEnv(path: ConfigPath, name: string): void {
    const key = formatConfigPath(path);
    const names = this.fromEnv.get(key) ?? [];
    if (!names.includes(name)) names.push(name);
    this.fromEnv.set(key, names);
  }

  /** True when the value at `path` must not be shown: a secret-bearing field, or a value from the environment. */
  isHidden(path: ConfigPath): boolean {
    return holdsSecret(path) || this.fromEnv.has(formatConfigPath(path));
  }

  /** The rejected value at `path` as a problem may show it (describeValue). */
  describe(path: ConfigPath, value: unknown): string {
    return describeValue(value, {
      secret: holdsSecret(path),
      fromEnv: this.fromEnv.get(formatConfigPath(path)),
    });
  }

  /**
   * A warning about a section as a whole (it is missing or empty): no line, so that a config
   * that is fine but for it is read without the line index (load-config.ts).
   */
  warnWithoutLine(path: ConfigPath, message: string): void {
    this.warnings.push(`${formatConfigPath(path)}: ${message}`);
  }

  warn(path: ConfigPath, message: string, atKey = false): void {
    const line = this.locate?.(path, atKey);
    const where = formatConfigPath(path);
    this.warnings.push(`${where}${line === undefined ? "" : ` (line ${line})`}: ${message}`);
  }
}
