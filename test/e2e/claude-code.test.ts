import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureClaudeCode, runClaudeCode } from "../support/claude-code.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import {
  type MockReply,
  type MockUpstream,
  type RecordedRequest,
  startMockUpstream,
} from "../support/mock-upstream.ts";
import { openAIChunks, openAICompletion } from "../support/wire-builders.ts";

/**
 * Headless Claude Code (the real CLI) against the gateway, whose provider is an OpenAI-type mock:
 * Claude Code speaks Anthropic Messages (streaming, many tools, cache_control, thinking config),
 * the mock answers in OpenAI Chat Completions. The mock first asks for the Read tool, then, once
 * the tool result comes back, answers with the file's secret: a full tool round trip through the
 * Anthropic ⇄ OpenAI translation.
 *
 * The CLI is installed on demand (test/support/claude-code.ts); without network the test is skipped.
 */
const claude = await ensureClaudeCode("claude-code.test");

const SECRET = "switchboard-7f3a9c";
let mock: MockUpstream;
let gw: TestGateway;
let workDir: string;
let notePath: string;

type Json = Record<string, unknown>;

function lastMessage(req: RecordedRequest): Json | undefined {
  const messages = (req.body as Json | undefined)?.messages;
  return Array.isArray(messages) ? (messages.at(-1) as Json) : undefined;
}

/** Main-loop requests (those offering the Read tool): tool call first, final text after the tool result. */
function scriptedReply(req: RecordedRequest): MockReply {
  const body = (req.body ?? {}) as Json;
  const stream = body.stream === true;
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const offersRead = tools.some((t) => (t.function as Json | undefined)?.name === "Read");
  const last = lastMessage(req);
  let spec: Parameters<typeof openAIChunks>[0];
  if (offersRead && last?.role === "tool") {
    const result = String(last.content ?? "");
    spec = {
      text: result.includes(SECRET)
        ? [`The note says `, `${SECRET}.`]
        : ["The tool result did not contain the note."],
      usage: { prompt_tokens: 900, completion_tokens: 12 },
    };
  } else if (offersRead) {
    spec = {
      text: ["I'll read the note."],
      toolCalls: [{ id: "call_read_1", name: "Read", arguments: JSON.stringify({ file_path: notePath }) }],
      usage: { prompt_tokens: 800, completion_tokens: 20 },
    };
  } else {
    // Side requests Claude Code makes (titles, summaries…): a short plain answer.
    spec = { text: ["Reading a note"], usage: { prompt_tokens: 50, completion_tokens: 3 } };
  }
  return stream ? { sse: openAIChunks(spec) } : { json: openAICompletion(spec) };
}

beforeAll(async () => {
  if (!claude) return;
  mock = await startMockUpstream();
  mock.setDefault(scriptedReply);
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}
models:
  cc-main: openai/gpt-4o-mini
  cc-small: openai/gpt-4o-mini
`,
  });
  workDir = mkdtempSync(join(tmpdir(), "switchboard-cc-"));
  notePath = join(workDir, "note.txt");
  writeFileSync(notePath, `The secret is ${SECRET}\n`);
});

afterAll(async () => {
  await gw?.stop();
  await mock?.stop();
});

describe("Claude Code (headless) → gateway → OpenAI-type provider", () => {
  test.skipIf(!claude)(
    "completes a task with one Read tool round trip, translated both ways",
    async () => {
      const { code, stdout } = await runClaudeCode(
        claude!,
        workDir,
        gw.url,
        "Read note.txt and tell me the secret.",
      );
      expect(code).toBe(0);
      const result = JSON.parse(stdout) as Json;
      expect(result.is_error).toBe(false);
      expect(String(result.result)).toContain(SECRET);
      expect(Number(result.num_turns)).toBeGreaterThanOrEqual(2);

      // Upstream saw OpenAI requests: the tool offered as a function, then the tool call and its result.
      const main = mock.requests.filter((r) =>
        ((r.body as Json | undefined)?.tools as Json[] | undefined)?.some(
          (t) => (t.function as Json)?.name === "Read",
        ),
      );
      expect(main.length).toBeGreaterThanOrEqual(2);
      expect(main.every((r) => r.path === "/v1/chat/completions")).toBe(true);
      const followUp = ((main.at(-1)?.body as Json | undefined)?.messages ?? []) as Json[];
      const assistant = followUp.find((m) => Array.isArray(m.tool_calls));
      expect(((assistant?.tool_calls ?? []) as Json[])[0]).toEqual({
        id: "call_read_1",
        type: "function",
        function: { name: "Read", arguments: JSON.stringify({ file_path: notePath }) },
      });
      const toolMessage = followUp.find((m) => m.role === "tool");
      expect(toolMessage?.tool_call_id).toBe("call_read_1");
      expect(String(toolMessage?.content)).toContain(SECRET);
    },
    120_000,
  );
});
