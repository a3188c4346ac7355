/**
 * Headless Claude Code (the real CLI) on a Bedrock-backed alias: Claude Code speaks Anthropic
 * Messages to the gateway, the gateway calls InvokeModelWithResponseStream on the loopback Bedrock
 * (SigV4-verified), whose AWS event-stream frames are decoded back into Messages events. A full
 * Read tool round trip. The CLI is installed on demand (test/support/claude-code.ts); skipped without it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureClaudeCode, runClaudeCode } from "../../support/claude-code.ts";
import { type MockBedrock, startMockBedrock } from "../../support/clouds/mock-bedrock.ts";
import { startTestGateway, type TestGateway } from "../../support/gateway.ts";
import {
  type MockReply,
  type MockUpstream,
  type RecordedRequest,
  startMockUpstream,
} from "../../support/mock-upstream.ts";
import { anthropicEvents, anthropicMessage } from "../../support/wire-builders.ts";

const claude = await ensureClaudeCode("claude-code-bedrock.test");

const ACCOUNT = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const BEDROCK_CLAUDE = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
const SECRET = "switchboard-bedrock-5d1e";

type Json = Record<string, unknown>;
let mock: MockUpstream;
let bedrock: MockBedrock;
let gw: TestGateway;
let workDir: string;
let notePath: string;

/** Main-loop requests (those offering Read): a Read call first, the note's secret after its result. */
function scriptedReply(req: RecordedRequest): MockReply {
  const body = (req.body ?? {}) as Json;
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const offersRead = tools.some((t) => t.name === "Read");
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  const last = messages.at(-1);
  const lastBlocks = Array.isArray(last?.content) ? (last.content as Json[]) : [];
  const toolResult = lastBlocks.find((b) => b.type === "tool_result");
  let spec: Parameters<typeof anthropicEvents>[0];
  if (offersRead && toolResult) {
    const text = JSON.stringify(toolResult.content ?? "");
    spec = {
      content: text.includes(SECRET)
        ? `The note says ${SECRET}.`
        : "The tool result did not contain the note.",
    };
  } else if (offersRead) {
    spec = {
      content: [
        { type: "text", text: "I'll read the note." },
        { type: "tool_use", id: "toolu_read_1", name: "Read", input: { file_path: notePath } },
      ],
    };
  } else {
    spec = { content: "Reading a note" };
  }
  return body.stream === true ? { sse: anthropicEvents(spec) } : { json: anthropicMessage(spec) };
}

beforeAll(async () => {
  if (!claude) return;
  mock = await startMockUpstream();
  mock.setDefault(scriptedReply);
  bedrock = await startMockBedrock({ upstream: mock, region: "us-west-2", accounts: [ACCOUNT] });
  gw = await startTestGateway({
    yaml: `providers:
  bedrock:
    base_url: ${bedrock.url}
    region: us-west-2
models:
  cc-main: bedrock/${BEDROCK_CLAUDE}
  cc-small: bedrock/${BEDROCK_CLAUDE}
`,
    env: { AWS_ACCESS_KEY_ID: ACCOUNT.accessKeyId, AWS_SECRET_ACCESS_KEY: ACCOUNT.secretAccessKey },
  });
  workDir = mkdtempSync(join(tmpdir(), "switchboard-cc-bedrock-"));
  notePath = join(workDir, "note.txt");
  writeFileSync(notePath, `The secret is ${SECRET}\n`);
});

afterAll(async () => {
  await gw?.stop();
  await bedrock?.stop();
  await mock?.stop();
});

describe("Claude Code (headless) → gateway → Bedrock (InvokeModel, SigV4, event-stream)", () => {
  test.skipIf(!claude)(
    "completes a task with one Read tool round trip",
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
      expect(bedrock.rejections).toHaveLength(0);
      const main = bedrock.seen.filter((r) => r.url.pathname.endsWith("/invoke-with-response-stream"));
      expect(main.length).toBeGreaterThanOrEqual(2);
      expect(main[0]!.headers.get("authorization")).toStartWith(
        `AWS4-HMAC-SHA256 Credential=${ACCOUNT.accessKeyId}/`,
      );
      expect(main[0]!.url.pathname).toBe(
        `/model/${encodeURIComponent(BEDROCK_CLAUDE)}/invoke-with-response-stream`,
      );
    },
    120_000,
  );
});
