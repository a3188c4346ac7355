/**
 * The real Claude Code CLI for e2e tests: installed on demand into
 * ~/.cache/switchboard-test/claude-code (npm; without network the tests that need it skip), and run
 * headless against a gateway with the aliases `cc-main` / `cc-small`, no telemetry, no retries.
 */
import { mkdtempSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { collectOutput, type ProcessOutput } from "./process-output.ts";

const CACHE_DIR = join(homedir(), ".cache", "switchboard-test", "claude-code");
const CLAUDE_BIN = join(CACHE_DIR, "node_modules", ".bin", "claude");

/** The CLI's path, installing it first if needed; null (and a warning naming `who`) when it can't be. */
export async function ensureClaudeCode(who: string): Promise<string | null> {
  if (await Bun.file(CLAUDE_BIN).exists()) return CLAUDE_BIN;
  try {
    const install = Bun.spawn(
      ["npm", "install", "--prefix", CACHE_DIR, "--no-audit", "--no-fund", "@anthropic-ai/claude-code"],
      { stdout: "ignore", stderr: "pipe" },
    );
    const timer = setTimeout(() => install.kill(), 240_000);
    const code = await install.exited;
    clearTimeout(timer);
    if (code !== 0) {
      console.warn(
        `${who}: skipped, npm install failed (exit ${code}): ${(await new Response(install.stderr).text()).slice(0, 300)}`,
      );
      return null;
    }
  } catch (error) {
    console.warn(`${who}: skipped, npm not runnable: ${String(error)}`);
    return null;
  }
  if (await Bun.file(CLAUDE_BIN).exists()) return CLAUDE_BIN;
  console.warn(`${who}: Claude Code is not installed and could not be installed (no network?); skipping.`);
  return null;
}

export type ClaudeCodeRun = ProcessOutput;

/**
 * `claude -p <prompt> --output-format json --allowedTools Read --model cc-main` in `cwd`, against
 * the gateway at `baseUrl`, with a fresh HOME; killed after 100 s. Prints its output when it fails.
 */
export async function runClaudeCode(
  claude: string,
  cwd: string,
  baseUrl: string,
  prompt: string,
): Promise<ClaudeCodeRun> {
  const home = mkdtempSync(join(tmpdir(), "switchboard-cc-home-"));
  const proc = Bun.spawn(
    [claude, "-p", prompt, "--output-format", "json", "--allowedTools", "Read", "--model", "cc-main"],
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        ANTHROPIC_BASE_URL: baseUrl,
        ANTHROPIC_API_KEY: "sk-test-claude-code",
        ANTHROPIC_MODEL: "cc-main",
        ANTHROPIC_SMALL_FAST_MODEL: "cc-small",
        ANTHROPIC_DEFAULT_HAIKU_MODEL: "cc-small",
        ANTHROPIC_DEFAULT_SONNET_MODEL: "cc-main",
        ANTHROPIC_DEFAULT_OPUS_MODEL: "cc-main",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_TELEMETRY: "1",
        DISABLE_AUTOUPDATER: "1",
        DISABLE_ERROR_REPORTING: "1",
        CLAUDE_CODE_MAX_RETRIES: "0",
      },
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const { code, stdout, stderr } = await collectOutput(proc, 100_000);
  if (code !== 0)
    console.error(
      `claude exited ${code}\nstdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr.slice(0, 2000)}`,
    );
  return { code, stdout, stderr };
}
