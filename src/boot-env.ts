/**
 * Imported first by main.ts. Bun's fetch allows 256 concurrent outbound requests unless
 * BUN_CONFIG_MAX_HTTP_REQUESTS is set, and it reads that variable only as the process starts:
 * setting it from JavaScript is too late, so a gateway holding more than 256 upstream streams
 * would queue the rest. When it is unset, `serve` re-executes itself with it set (execve: same
 * PID, so systemd and signals see one process). Set the variable yourself to choose the limit.
 */
const MAX_UPSTREAM_REQUESTS = "4096";
const NOT_SERVE = new Set(["check", "--version", "-v", "--help", "-h"]);

function reexecWithFetchLimit(): void {
  if (process.env.BUN_CONFIG_MAX_HTTP_REQUESTS || typeof process.execve !== "function") return;
  const args = process.argv;
  // In a compiled binary argv[1] is the embedded entry (/$bunfs/…), not a script to run.
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN/");
  const userArgs = args.slice(2);
  if (userArgs.some((arg) => NOT_SERVE.has(arg))) return;
  process.execve(process.execPath, [process.execPath, ...args.slice(compiled ? 2 : 1)], {
    ...process.env,
    BUN_CONFIG_MAX_HTTP_REQUESTS: MAX_UPSTREAM_REQUESTS,
  });
}

reexecWithFetchLimit();
