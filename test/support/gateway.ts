/**
 * Starts the real gateway in-process on 127.0.0.1, port 0, for e2e tests.
 *
 *   const mock = await startMockUpstream();
 *   const gw = await startTestGateway({ yaml: providersYaml(mock) + "models:\n  fast: openai/gpt-4o-mini\n" });
 *   const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "anything", maxRetries: 0 });
 *   ... gw.logs (parsed JSON log lines), gw.runtime ...
 *   await gw.stop();
 *
 * Usage records go nowhere unless `usageStore` is given (no stray database files from tests).
 */
import { loadConfigFromText } from "../../src/config/load-config.ts";
import type { ResolvedConfig } from "../../src/config/types.ts";
import type { RateLimiter } from "../../src/limits/rate-limiter.ts";
import { createLogger } from "../../src/log/logger.ts";
import { type RunningGateway, startGateway } from "../../src/server/start.ts";
import type { UsageStore } from "../../src/usage/usage-store.ts";
import type { MockUpstream } from "./mock-upstream.ts";

export interface TestGatewayOptions {
  /** YAML config text (a `server:` section is not needed). */
  yaml?: string;
  config?: ResolvedConfig;
  /** Environment for `${VAR}` expansion (defaults to an empty env). */
  env?: Record<string, string | undefined>;
  usageStore?: UsageStore | null;
  limiter?: RateLimiter;
  random?: () => number;
}

export interface TestGateway extends RunningGateway {
  /** Every log line the gateway wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  config: ResolvedConfig;
}

export async function startTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const config =
    options.config ??
    loadConfigFromText(options.yaml ?? "", "/tmp/switchboard-test/switchboard.yaml", options.env ?? {});
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger((line) => logs.push(JSON.parse(line)));
  const gateway = await startGateway(config, {
    version: "test",
    logger,
    host: "127.0.0.1",
    port: 0,
    usageStore: options.usageStore ?? null,
    limiter: options.limiter,
    random: options.random,
  });
  return Object.assign(gateway, { logs, config });
}

/**
 * Providers `openai`, `anthropic` and `gemini` of each wire type, all pointing at one mock, with
 * keys `sk-openai-test`, `sk-ant-test`, `gm-test`; `routing.retries: 0` unless overridden.
 */
export function providersYaml(mock: MockUpstream, extra = ""): string {
  return `providers:
  openai:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: sk-openai-test
    models: [gpt-4o-mini, gpt-5]
  anthropic:
    type: anthropic
    base_url: ${mock.baseUrls.anthropic}
    api_key: sk-ant-test
    models: [claude-sonnet-4-5, claude-opus-4-8]
  gemini:
    type: gemini
    base_url: ${mock.baseUrls.gemini}
    api_key: gm-test
    models: [gemini-2.5-flash]
${extra}`;
}

/** Parsed JSON of a response, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary response JSON
export type LooseJson = any;

export const jsonOf = async (response: Response): Promise<LooseJson> => response.json();
