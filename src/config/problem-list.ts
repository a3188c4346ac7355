import type { ConfigProblem } from "./config-error.ts";
import { type ConfigPath, formatConfigPath } from "./config-path.ts";
import type { LineLocator } from "./yaml-locator.ts";

/** Collects every problem (and warning) of one load, each with its path and line. */
export class ProblemList {
  readonly problems: ConfigProblem[] = [];
  readonly warnings: string[] = [];
  /** Paths already reported, so one bad value yields one problem, not a cascade. */
  private readonly reported = new Set<string>();

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

  warn(path: ConfigPath, message: string, atKey = false): void {
    const line = this.locate?.(path, atKey);
    const where = formatConfigPath(path);
    this.warnings.push(`${where}${line === undefined ? "" : ` (line ${line})`}: ${message}`);
  }
}
