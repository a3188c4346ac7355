import type { Subprocess } from "bun";

/** What a finished child process printed, and its exit code. */
export interface ProcessOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Reads a spawned process's stdout and stderr (both `pipe`) to the end and waits for its exit,
 * killing it after `timeoutMs`: a CLI under test that hangs fails its test instead of the run.
 */
export async function collectOutput(
  proc: Subprocess<"ignore" | "pipe" | "inherit", "pipe", "pipe">,
  timeoutMs: number,
): Promise<ProcessOutput> {
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}
