import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import {
  type MockReply,
  type MockUpstream,
  type RecordedRequest,
  startMockUpstream,
} from "../support/mock-upstream.ts";
import { collectOutput } from "../support/process-output.ts";
import { anthropicEvents, openAIChunks, responsesEvents } from "../support/wire-builders.ts";

/**
 * Headless Codex CLI (the real Rust binary, `codex exec`) against the gateway's /v1/responses,
 * with one mock upstream per provider protocol acting as the model: the first request gets a call
 * of Codex's shell tool (`exec_command`, `{ cmd }`), the second (which carries the command's
 * output) a final answer quoting the token the command read. Three providers: Anthropic Messages
 * and OpenAI Chat Completions (translated both ways) and a Responses provider (passed through).
 *
 * Codex is configured as it would be against any Responses gateway: a custom model provider
 * (`wire_api = "responses"`, base_url the gateway, the gateway key in an env_key variable) in a
 * throwaway CODEX_HOME, no sandbox and no approvals (the command runs non-interactively), and
 * everything that phones home switched off (plugins sync, analytics, OpenTelemetry exporters,
 * update check). Every proxy variable points at a loopback catcher, so any attempt to reach
 * chatgpt.com, api.openai.com or GitHub would be recorded and fail the test.
 *
 * The model names are `gpt-5.5-<provider>`: Codex matches its bundled metadata by prefix, so it
 * sends what it sends to a real OpenAI model (reasoning effort, encrypted reasoning, its freeform
 * apply_patch tool, hosted tools), and each name is a gateway alias to one provider.
 *
 * The CLI (pinned) is installed on demand into ~/.cache/switchboard-test/codex-<version> (npm;
 * the package pulls the linux-x64 binary in as an optional dependency). Off CI, a failed install
 * skips the test with a message; under CI (`CI` set, as .ci/run does) it fails it.
 */
const CODEX_VERSION = "0.171.0";
const CACHE_DIR = join(homedir(), ".cache", "switchboard-test", `codex-${CODEX_VERSION}`);
const CODEX_BIN = join(CACHE_DIR, "node_modules", ".bin", "codex");

async function codexVersion(): Promise<string | null> {
  try {
    const proc = Bun.spawn([CODEX_BIN, "--version"], { stdout: "pipe", stderr: "ignore", stdin: "ignore" });
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    return code === 0 ? out.trim() : null;
  } catch {
    return null;
  }
}

async function ensureCodex(): Promise<string | null> {
  const wanted = `codex-cli ${CODEX_VERSION}`;
  if ((await Bun.file(CODEX_BIN).exists()) && (await codexVersion()) === wanted) return CODEX_BIN;
  try {
    const install = Bun.spawn(
      [
        "npm",
        "install",
        "--prefix",
        CACHE_DIR,
        "--no-audit",
        "--no-fund",
        "--include=optional",
        "--save-exact",
        `@openai/codex@${CODEX_VERSION}`,
      ],
      { stdout: "ignore", stderr: "pipe" },
    );
    const timer = setTimeout(() => install.kill(), 240_000);
    const code = await install.exited;
    clearTimeout(timer);
    if (code !== 0) {
      console.warn(
        `codex-cli.test: npm install failed (exit ${code}): ${(await new Response(install.stderr).text()).slice(0, 300)}`,
      );
      return null;
    }
  } catch (error) {
    console.warn(`codex-cli.test: npm not runnable: ${String(error)}`);
    return null;
  }
  const version = await codexVersion();
  if (version !== wanted) {
    console.warn(`codex-cli.test: installed codex does not run or is not ${wanted} (got ${version})`);
    return null;
  }
  return CODEX_BIN;
}

const codex = await ensureCodex();
const IN_CI = Boolean(process.env.CI);
if (!codex && !IN_CI)
  console.warn(
    "codex-cli.test: the Codex CLI is not installed and could not be installed (no network?); skipping.",
  );

type Json = Record<string, unknown>;

const TOKEN = `sb-token-${randomBytes(6).toString("hex")}`;
const TOKEN_PATTERN = /sb-token-[0-9a-f]{12}/;
const GATEWAY_KEY = `sk-switchboard-codex-${randomBytes(6).toString("hex")}`;
const UPSTREAM_KEYS = {
  anthropic: "sk-ant-codex-upstream",
  chat: "sk-chat-codex-upstream",
  resp: "sk-resp-codex-upstream",
};
const PROMPT = "Run `cat secret.txt` in the working directory and reply with its contents.";
const SHELL_TOOL = "exec_command";
const SHELL_ARGS = JSON.stringify({ cmd: "cat secret.txt" });
/** Some of the function and freeform tools Codex declares (the pinned version declares more). */
const CODEX_TOOLS = [SHELL_TOOL, "write_stdin", "apply_patch", "view_image"];
const CALL_ID = { anthropic: "toolu_codex_01", chat: "call_codex_chat_01", resp: "call_codex_resp_01" };
const THINKING = "The user wants the file's contents; one cat will do.";
const ANTHROPIC_SIGNATURE = "c2lnbmF0dXJlLWNvZGV4LWFudGhyb3BpYw==";
const RESPONSES_ENCRYPTED = "gAAAAB-opaque-reasoning-for-codex";
/** Codex's freeform apply_patch tool, called through a provider that only has JSON tools. */
const PATCH = `*** Begin Patch\n*** Add File: note.txt\n+${TOKEN}\n*** End Patch\n`;
const PATCH_CALL_ID = "toolu_codex_patch_01";
const PATCH_DONE = "Created note.txt.";
let scenario: "shell" | "patch" = "shell";

let mock: MockUpstream;
let gw: TestGateway;
let catcher: Server;
let catcherPort = 0;
/** First line of every connection Codex made through a proxy variable: it should make none. */
const outbound: string[] = [];

const answer = (toolResult: string): string => {
  const token = TOKEN_PATTERN.exec(toolResult)?.[0];
  return token ? `The file contains ${token}.` : "The command output did not contain the token.";
};

const offersShell = (tools: unknown, nameOf: (tool: Json) => unknown): boolean =>
  Array.isArray(tools) && (tools as Json[]).some((t) => nameOf(t) === SHELL_TOOL);

/** Anthropic Messages: thinking + tool_use first; after the tool_result, the final text. */
function anthropicReply(body: Json): MockReply {
  const messages = (body.messages ?? []) as Json[];
  const last = messages.at(-1);
  const content = Array.isArray(last?.content) ? (last.content as Json[]) : [];
  const result = content.find((b) => b.type === "tool_result");
  if (!offersShell(body.tools, (t) => t.name)) return { sse: anthropicEvents({ content: "ok" }) };
  if (scenario === "patch")
    return {
      sse: anthropicEvents({
        content: result
          ? PATCH_DONE
          : [{ type: "tool_use", id: PATCH_CALL_ID, name: "apply_patch", input: { input: PATCH } }],
      }),
    };
  if (result)
    return {
      sse: anthropicEvents({
        content: [{ type: "text", text: [answer(JSON.stringify(result.content))] }],
        usage: { input_tokens: 1200, output_tokens: 15 },
      }),
    };
  return {
    sse: anthropicEvents({
      content: [
        { type: "thinking", thinking: [THINKING], signature: ANTHROPIC_SIGNATURE },
        { type: "tool_use", id: CALL_ID.anthropic, name: SHELL_TOOL, input: JSON.parse(SHELL_ARGS) },
      ],
      usage: { input_tokens: 1100, output_tokens: 40 },
    }),
  };
}

/** OpenAI Chat Completions: reasoning_content + tool_calls first; after the tool message, the text. */
function chatReply(body: Json): MockReply {
  const last = ((body.messages ?? []) as Json[]).at(-1);
  if (!offersShell(body.tools, (t) => (t.function as Json | undefined)?.name))
    return { sse: openAIChunks({ text: "ok", usage: { prompt_tokens: 5, completion_tokens: 1 } }) };
  if (last?.role === "tool")
    return {
      sse: openAIChunks({
        text: [answer(String(last.content))],
        usage: { prompt_tokens: 1200, completion_tokens: 15 },
      }),
    };
  return {
    sse: openAIChunks({
      reasoning: [THINKING],
      text: null,
      toolCalls: [{ id: CALL_ID.chat, name: SHELL_TOOL, arguments: SHELL_ARGS }],
      usage: { prompt_tokens: 1100, completion_tokens: 40 },
    }),
  };
}

/** Responses: reasoning (encrypted) + function_call first; after the function_call_output, the text. */
function responsesReply(body: Json): MockReply {
  const input = Array.isArray(body.input) ? (body.input as Json[]) : [];
  const output = input.findLast((item) => item.type === "function_call_output");
  if (!offersShell(body.tools, (t) => t.name))
    return { sse: responsesEvents({ model: String(body.model), text: "ok" }) };
  if (output)
    return {
      sse: responsesEvents({
        id: "resp_codex_2",
        model: String(body.model),
        output: [{ type: "message", text: [answer(JSON.stringify(output.output))] }],
        usage: { input_tokens: 1200, output_tokens: 15 },
      }),
    };
  return {
    sse: responsesEvents({
      id: "resp_codex_1",
      model: String(body.model),
      output: [
        { type: "reasoning", summary: [[THINKING]], encryptedContent: RESPONSES_ENCRYPTED },
        { type: "function_call", callId: CALL_ID.resp, name: SHELL_TOOL, arguments: [SHELL_ARGS] },
      ],
      usage: { input_tokens: 1100, output_tokens: 40, reasoning_tokens: 12 },
    }),
  };
}

function scriptedModel(req: RecordedRequest): MockReply {
  const body = (req.body ?? {}) as Json;
  if (req.path.endsWith("/messages")) return anthropicReply(body);
  if (req.path.endsWith("/chat/completions")) return chatReply(body);
  if (req.path.endsWith("/responses")) return responsesReply(body);
  return { error: { status: 404, message: `unexpected ${req.method} ${req.path}` } };
}

beforeAll(async () => {
  if (!codex) return;
  catcher = createServer((socket) => {
    socket.once("data", (data) => {
      outbound.push(data.toString("latin1").split("\r\n")[0] ?? "");
      socket.destroy();
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => catcher.listen(0, "127.0.0.1", resolve));
  catcherPort = (catcher.address() as { port: number }).port;
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `providers:
  anthropic:
    type: anthropic
    base_url: ${mock.baseUrls.anthropic}
    api_key: ${UPSTREAM_KEYS.anthropic}
    models: [claude-sonnet-4-5]
  chat:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: ${UPSTREAM_KEYS.chat}
    models: [gpt-4.1]
  resp:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: ${UPSTREAM_KEYS.resp}
    models: [gpt-5.5]
    responses: true
routing:
  retries: 0
auth:
  keys:
    - name: codex
      key: ${GATEWAY_KEY}
models:
  gpt-5.5-anthropic: anthropic/claude-sonnet-4-5
  gpt-5.5-chat: chat/gpt-4.1
  gpt-5.5-responses: resp/gpt-5.5
`,
  });
});

afterAll(async () => {
  await gw?.stop();
  await mock?.stop();
  catcher?.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  scenario = "shell";
  mock?.reset();
  mock?.setDefault(scriptedModel);
});

function codexConfig(model: string): string {
  return `model = "${model}"
model_provider = "switchboard"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false

[model_providers.switchboard]
name = "Switchboard"
base_url = "${gw.url}/v1"
env_key = "SWITCHBOARD_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
stream_idle_timeout_ms = 20000

[features]
plugins = false

[analytics]
enabled = false

[otel]
exporter = "none"
metrics_exporter = "none"
trace_exporter = "none"
`;
}

interface CodexRun {
  workDir: string;
  code: number;
  events: Json[];
  lastMessage: string;
  stdout: string;
  stderr: string;
}

const tempDirs: string[] = [];

async function runCodex(model: string, prompt = PROMPT): Promise<CodexRun> {
  const home = mkdtempSync(join(tmpdir(), "switchboard-codex-home-"));
  const workDir = mkdtempSync(join(tmpdir(), "switchboard-codex-work-"));
  tempDirs.push(home, workDir);
  writeFileSync(join(workDir, "secret.txt"), `${TOKEN}\n`);
  writeFileSync(join(home, "config.toml"), codexConfig(model));
  const lastMessagePath = join(home, "last-message.txt");
  const proxy = `http://127.0.0.1:${catcherPort}`;
  const proc = Bun.spawn(
    [
      codex ?? "codex",
      "exec",
      "--strict-config",
      "--skip-git-repo-check",
      "--ephemeral",
      "--json",
      "--color",
      "never",
      "--output-last-message",
      lastMessagePath,
      "--cd",
      workDir,
      prompt,
    ],
    {
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        CODEX_HOME: home,
        SWITCHBOARD_API_KEY: GATEWAY_KEY,
        HTTPS_PROXY: proxy,
        HTTP_PROXY: proxy,
        ALL_PROXY: proxy,
        https_proxy: proxy,
        http_proxy: proxy,
        all_proxy: proxy,
        NO_PROXY: "127.0.0.1,localhost",
        no_proxy: "127.0.0.1,localhost",
      },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const { code, stdout, stderr } = await collectOutput(proc, 45_000);
  const events = stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Json);
  let lastMessage = "";
  try {
    lastMessage = readFileSync(lastMessagePath, "utf8");
  } catch {}
  if (code !== 0)
    console.error(`codex exited ${code}\nstdout: ${stdout.slice(0, 3000)}\nstderr: ${stderr.slice(0, 3000)}`);
  return { workDir, code, events, lastMessage, stdout, stderr };
}

/** The JSON body of the i-th upstream request, `{}` when there is none. */
const bodyOf = (requests: RecordedRequest[], i: number): Json => (requests[i]?.body ?? {}) as Json;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

const items = (run: CodexRun, type: string): Json[] =>
  run.events
    .filter((e) => e.type === "item.completed")
    .map((e) => e.item as Json)
    .filter((item) => item.type === type);

/** What every run must show, whatever the provider. */
function expectCodexCompleted(run: CodexRun): void {
  expect(run.code).toBe(0);
  expect(run.lastMessage).toContain(TOKEN);
  // Codex knew the model (no fallback-metadata warning) and nothing failed.
  expect(items(run, "error")).toEqual([]);
  expect(run.events.some((e) => e.type === "turn.failed" || e.type === "error")).toBe(false);
  const commands = items(run, "command_execution");
  expect(commands).toHaveLength(1);
  expect(String(commands[0]?.command)).toContain("cat secret.txt");
  expect(String(commands[0]?.aggregated_output)).toContain(TOKEN);
  expect(commands[0]?.exit_code).toBe(0);
  expect(items(run, "agent_message").at(-1)?.text).toBe(`The file contains ${TOKEN}.`);
  const completed = run.events.find((e) => e.type === "turn.completed");
  expect(((completed?.usage ?? {}) as Json).input_tokens).toBe(2300);
  expect(outbound).toEqual([]);
}

/** The upstream saw only the provider's key, never the gateway key Codex sent. */
function expectKeysKept(requests: RecordedRequest[], providerKey: string): void {
  for (const request of requests) {
    expect(request.bodyText).not.toContain(GATEWAY_KEY);
    expect(JSON.stringify(request.headers)).not.toContain(GATEWAY_KEY);
    expect(JSON.stringify(request.headers)).toContain(providerKey);
  }
}

function expectGatewayLogged(provider: string): void {
  const lines = gw.logs.filter((l) => l.msg === "request" && l.provider === provider);
  expect(lines.length).toBeGreaterThanOrEqual(2);
  for (const line of lines.slice(-2)) {
    expect(line.endpoint).toBe("responses");
    expect(line.key).toBe("codex");
    expect(line.status).toBe(200);
    expect(line.stream).toBe(true);
  }
}

describe.skipIf(!codex && !IN_CI)(`Codex CLI ${CODEX_VERSION} (codex exec) → gateway /v1/responses`, () => {
  beforeAll(() => {
    if (!codex) throw new Error(`codex-cli.test: Codex CLI ${CODEX_VERSION} could not be installed under CI`);
  });

  test("Anthropic provider: shell tool round trip translated to Messages and back, thinking signed", async () => {
    const run = await runCodex("gpt-5.5-anthropic");
    expectCodexCompleted(run);
    const requests = mock.requests;
    expect(requests.map((r) => r.path)).toEqual(["/v1/messages", "/v1/messages"]);
    expectKeysKept(requests, UPSTREAM_KEYS.anthropic);
    expectGatewayLogged("anthropic");

    const first = bodyOf(requests, 0);
    expect(first.model).toBe("claude-sonnet-4-5");
    expect(first.stream).toBe(true);
    expect(first.thinking).toMatchObject({ type: "enabled" });
    const tools = first.tools as Json[];
    const shell = tools.find((t) => t.name === SHELL_TOOL);
    expect(shell?.input_schema).toMatchObject({ type: "object", required: ["cmd"] });
    // Codex's freeform apply_patch (a `custom` tool) arrives as a one-string-field tool.
    const patch = tools.find((t) => t.name === "apply_patch");
    expect(patch?.input_schema).toMatchObject({ type: "object", properties: { input: { type: "string" } } });
    expect(tools.every((t) => typeof t.name === "string" && t.input_schema !== undefined)).toBe(true);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(CODEX_TOOLS));
    // The OpenAI built-ins Codex also offers (web_search, tool_search) have no Messages form: dropped.
    expect(tools.some((t) => t.name === "web_search" || t.name === "tool_search" || "type" in t)).toBe(false);
    // Codex's instructions travel as the system prompt.
    expect(JSON.stringify(first.system)).toContain("Codex");

    const second = bodyOf(requests, 1);
    const messages = second.messages as Json[];
    const assistant = messages.at(-2);
    expect(assistant?.role).toBe("assistant");
    expect(assistant?.content).toEqual([
      { type: "thinking", thinking: THINKING, signature: ANTHROPIC_SIGNATURE },
      { type: "tool_use", id: CALL_ID.anthropic, name: SHELL_TOOL, input: JSON.parse(SHELL_ARGS) },
    ]);
    const user = messages.at(-1);
    expect(user?.role).toBe("user");
    const result = list(user?.content).find((b) => b.type === "tool_result");
    expect(result?.tool_use_id).toBe(CALL_ID.anthropic);
    expect(JSON.stringify(result?.content)).toContain(TOKEN);
  }, 60_000);

  test("Chat Completions provider: shell tool round trip translated to Chat and back", async () => {
    const run = await runCodex("gpt-5.5-chat");
    expectCodexCompleted(run);
    // reasoning_content reached Codex as a reasoning item.
    expect(items(run, "reasoning").some((r) => String(r.text).includes("one cat will do"))).toBe(true);
    const requests = mock.requests;
    expect(requests.map((r) => r.path)).toEqual(["/v1/chat/completions", "/v1/chat/completions"]);
    expectKeysKept(requests, UPSTREAM_KEYS.chat);
    expectGatewayLogged("chat");

    const first = bodyOf(requests, 0);
    expect(first.model).toBe("gpt-4.1");
    expect(first.stream).toBe(true);
    expect(first.reasoning_effort).toBe("medium");
    const tools = first.tools as Json[];
    expect(tools.every((t) => t.type === "function")).toBe(true);
    const shell = tools.find((t) => (t.function as Json).name === SHELL_TOOL);
    expect((shell?.function as Json | undefined)?.parameters).toMatchObject({
      type: "object",
      required: ["cmd"],
    });
    expect(tools.map((t) => (t.function as Json).name)).toEqual(expect.arrayContaining(CODEX_TOOLS));
    const firstMessages = first.messages as Json[];
    expect(["system", "developer"]).toContain(String(firstMessages[0]?.role));

    const messages = list(bodyOf(requests, 1).messages);
    const assistant = messages.at(-2);
    expect(assistant?.role).toBe("assistant");
    expect(assistant?.tool_calls).toEqual([
      { id: CALL_ID.chat, type: "function", function: { name: SHELL_TOOL, arguments: SHELL_ARGS } },
    ]);
    const tool = messages.at(-1);
    expect(tool?.role).toBe("tool");
    expect(tool?.tool_call_id).toBe(CALL_ID.chat);
    expect(String(tool?.content)).toContain(TOKEN);
  }, 60_000);

  test("Responses provider: passed through, encrypted reasoning and the call output sent back", async () => {
    const run = await runCodex("gpt-5.5-responses");
    expectCodexCompleted(run);
    expect(items(run, "reasoning").some((r) => String(r.text).includes("one cat will do"))).toBe(true);
    const requests = mock.requests;
    expect(requests.map((r) => r.path)).toEqual(["/v1/responses", "/v1/responses"]);
    expectKeysKept(requests, UPSTREAM_KEYS.resp);
    expectGatewayLogged("resp");

    const first = bodyOf(requests, 0);
    expect(first.model).toBe("gpt-5.5");
    expect(first).toMatchObject({
      stream: true,
      store: false,
      include: ["reasoning.encrypted_content"],
      reasoning: { effort: "medium" },
    });
    const tools = first.tools as Json[];
    expect(tools.find((t) => t.name === SHELL_TOOL)).toMatchObject({ type: "function" });
    expect(tools.find((t) => t.name === "apply_patch")).toMatchObject({ type: "custom" });
    expect(tools.map((t) => t.name ?? t.type)).toEqual(
      expect.arrayContaining([...CODEX_TOOLS, "web_search", "tool_search"]),
    );

    const input = list(bodyOf(requests, 1).input);
    const reasoning = input.find((item) => item.type === "reasoning");
    expect(reasoning?.encrypted_content).toBe(RESPONSES_ENCRYPTED);
    const call = input.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ call_id: CALL_ID.resp, name: SHELL_TOOL, arguments: SHELL_ARGS });
    const output = input.find((item) => item.type === "function_call_output");
    expect(output?.call_id).toBe(CALL_ID.resp);
    expect(JSON.stringify(output?.output)).toContain(TOKEN);
  }, 60_000);
  test("Anthropic provider: Codex's freeform apply_patch tool as a JSON tool, restored as a custom tool call", async () => {
    scenario = "patch";
    const run = await runCodex("gpt-5.5-anthropic", "Create note.txt holding the token.");
    expect(run.code).toBe(0);
    expect(run.lastMessage.trim()).toBe(PATCH_DONE);
    // Codex took the call as its own apply_patch (input text, not JSON) and applied it.
    expect(readFileSync(join(run.workDir, "note.txt"), "utf8")).toBe(`${TOKEN}\n`);
    const changes = items(run, "file_change");
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ status: "completed", changes: [{ kind: "add" }] });
    expect(outbound).toEqual([]);

    const requests = mock.requests;
    expect(requests.map((r) => r.path)).toEqual(["/v1/messages", "/v1/messages"]);
    expectKeysKept(requests, UPSTREAM_KEYS.anthropic);
    const patchTool = list(bodyOf(requests, 0).tools).find((t) => t.name === "apply_patch");
    // The grammar a Responses model would be held to is spelled out for this one.
    expect(JSON.stringify(patchTool?.input_schema)).toContain("*** Begin Patch");
    const messages = list(bodyOf(requests, 1).messages);
    expect(messages.at(-2)?.content).toEqual([
      { type: "tool_use", id: PATCH_CALL_ID, name: "apply_patch", input: { input: PATCH } },
    ]);
    const result = list(messages.at(-1)?.content).find((b) => b.type === "tool_result");
    expect(result?.tool_use_id).toBe(PATCH_CALL_ID);
    expect(JSON.stringify(result?.content)).toContain("Success");
  }, 60_000);
});
