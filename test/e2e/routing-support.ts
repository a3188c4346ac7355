import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

/**
 * Two mock upstreams, `a` and `b`, each configured as an OpenAI-type provider (`oa-a`, `oa-b`)
 * and an Anthropic-type one (`an-a`, `an-b`), plus chains `chat` (oa-a → oa-b) and `claude`
 * (an-a → an-b). `refused` is a port nothing listens on.
 */
export interface RoutingUpstreams {
  a: MockUpstream;
  b: MockUpstream;
  refusedUrl: string;
  stop(): Promise<void>;
}

export async function startRoutingUpstreams(): Promise<RoutingUpstreams> {
  const a = await startMockUpstream();
  const b = await startMockUpstream();
  // A port that was just free: connecting to it is refused.
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const refusedUrl = `http://127.0.0.1:${probe.port}`;
  await probe.stop(true);
  return {
    a,
    b,
    refusedUrl,
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
    },
  };
}

export function routingYaml(
  up: RoutingUpstreams,
  routing: string,
  extraProviders = "",
  extraModels = "",
): string {
  return `providers:
  oa-a:
    type: openai
    base_url: ${up.a.baseUrls.openai}
    api_key: sk-oa-a-secret
    timeout: 400ms
  oa-b:
    type: openai
    base_url: ${up.b.baseUrls.openai}
    api_key: sk-oa-b-secret
  an-a:
    type: anthropic
    base_url: ${up.a.baseUrls.anthropic}
    api_key: sk-an-a-secret
    timeout: 400ms
  an-b:
    type: anthropic
    base_url: ${up.b.baseUrls.anthropic}
    api_key: sk-an-b-secret
  refused:
    type: openai
    base_url: ${up.refusedUrl}/v1
    api_key: sk-refused
${extraProviders}
models:
  chat: [oa-a/gpt-4o-mini, oa-b/gpt-4o-mini]
  claude: [an-a/claude-sonnet-4-5, an-b/claude-sonnet-4-5]
  via-refused: [refused/gpt-4o-mini, oa-b/gpt-4o-mini]
${extraModels}
routing:
${routing}
`;
}

export function openaiClient(url: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey: "client-key", maxRetries: 0, timeout: 10_000 });
}

export function anthropicClient(url: string): Anthropic {
  return new Anthropic({ baseURL: url, apiKey: "client-key", maxRetries: 0, timeout: 10_000 });
}

export const chatBody = (model: string, text = "hello") => ({
  model,
  messages: [{ role: "user" as const, content: text }],
});

export const messagesBody = (model: string, text = "hello") => ({
  model,
  max_tokens: 64,
  messages: [{ role: "user" as const, content: text }],
});

/** The rejection of a promise, or a failure if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}
