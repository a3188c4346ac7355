/**
 * The gateway under fuzz: the real in-process server (test/support/gateway.ts) in front of the
 * mock upstream, configured with secrets of every kind, and the checks every answer must pass.
 *
 *   const fz = await startFuzzGateway();
 *   const answer = await fz.send({ method: "POST", path: "/v1/messages", body: "…", headers: {…} });
 *   expectSoundAnswer(answer, fz);   // no 5xx, the endpoint's envelope, headers < 8 KiB, no secret
 *   await expectGaugesAtZero(fz);    // in-flight requests and streams back to 0
 *   expectNoSecretInLogs(fz);
 *   await fz.stop();
 */
import { expect } from "bun:test";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { parseExposition } from "../metrics/parse-exposition.ts";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { SECRETS } from "./fuzz-config.ts";

export { ROUTED_MODELS, SECRETS } from "./fuzz-config.ts";

const SECRET_VALUES: string[] = Object.values(SECRETS);

export type Envelope = "openai" | "anthropic";

export interface Endpoint {
  method: "GET" | "POST" | "DELETE";
  path: string;
  /** Whose error envelope this endpoint answers in. */
  envelope: Envelope;
  /** The request body protocol, for generation endpoints. */
  body?: "chat" | "messages" | "count_tokens" | "responses";
}

export const GENERATION_ENDPOINTS: Endpoint[] = [
  { method: "POST", path: "/v1/chat/completions", envelope: "openai", body: "chat" },
  { method: "POST", path: "/openai/v1/chat/completions", envelope: "openai", body: "chat" },
  { method: "POST", path: "/v1/messages", envelope: "anthropic", body: "messages" },
  { method: "POST", path: "/anthropic/v1/messages", envelope: "anthropic", body: "messages" },
  { method: "POST", path: "/v1/messages/count_tokens", envelope: "anthropic", body: "count_tokens" },
  {
    method: "POST",
    path: "/anthropic/v1/messages/count_tokens",
    envelope: "anthropic",
    body: "count_tokens",
  },
  { method: "POST", path: "/v1/responses", envelope: "openai", body: "responses" },
  { method: "POST", path: "/openai/v1/responses", envelope: "openai", body: "responses" },
];

export const OTHER_ENDPOINTS: Endpoint[] = [
  { method: "GET", path: "/v1/models", envelope: "openai" },
  { method: "GET", path: "/openai/v1/models", envelope: "openai" },
  { method: "GET", path: "/anthropic/v1/models", envelope: "anthropic" },
  { method: "GET", path: "/v1/usage", envelope: "openai" },
  { method: "GET", path: "/v1/responses/resp_fuzz", envelope: "openai" },
  { method: "GET", path: "/v1/responses/resp_fuzz/input_items", envelope: "openai" },
  { method: "DELETE", path: "/v1/responses/resp_fuzz", envelope: "openai" },
  { method: "GET", path: "/openai/v1/responses/resp_fuzz", envelope: "openai" },
];

export const ALL_ENDPOINTS: Endpoint[] = [...GENERATION_ENDPOINTS, ...OTHER_ENDPOINTS];

export interface FuzzRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface Answer {
  request: FuzzRequest;
  status: number;
  headers: Headers;
  text: string;
}

export interface FuzzGateway {
  gw: TestGateway;
  mock: MockUpstream;
  send(request: FuzzRequest): Promise<Answer>;
  stop(): Promise<void>;
}

export async function startFuzzGateway(): Promise<FuzzGateway> {
  const mock = await startMockUpstream({ models: ["gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash"] });
  const gw = await startTestGateway({
    yaml: `server:
  body_limit: 2MB
auth:
  master_key: ${SECRETS.masterKey}
  keys:
    - { name: app, key: ${SECRETS.appKey} }
    - { name: limited, key: ${SECRETS.limitedKey}, models: [fast, "openai/*"] }
providers:
  openai:
    type: openai
    base_url: ${mock.baseUrls.openai}
    keys: [${SECRETS.openaiKey}, ${SECRETS.openaiSecondKey}]
    models: [gpt-4o-mini]
    responses: true
    headers: { X-Fuzz-Tenant: ${SECRETS.openaiHeader} }
  anthropic:
    type: anthropic
    base_url: ${mock.baseUrls.anthropic}
    api_key: ${SECRETS.anthropicKey}
    models: [claude-sonnet-4-5]
    headers: { X-Fuzz-Auth: "${SECRETS.anthropicHeader}" }
  gemini:
    type: gemini
    base_url: ${mock.baseUrls.gemini}
    api_key: ${SECRETS.geminiKey}
    models: [gemini-2.5-flash]
models:
  fast: openai/gpt-4o-mini
  chain: [anthropic/claude-sonnet-4-5, gemini/gemini-2.5-flash]
routing:
  retries: 0
usage:
  log_bodies: true
  body_log_limit: 4KB
`,
    usageStore: new SqliteUsageStore(":memory:"),
  });
  return {
    gw,
    mock,
    async send(request) {
      const response = await fetch(`${gw.url}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.method === "GET" || request.method === "DELETE" ? undefined : request.body,
      });
      return { request, status: response.status, headers: response.headers, text: await response.text() };
    },
    async stop() {
      await gw.stop();
      await mock.stop();
    },
  };
}

/** Every response header value at most 8 KiB (src/gateway/header-value.ts caps at exactly this). */
const MAX_HEADER_VALUE = 8 * 1024;

/**
 * What every answer must be, whatever was sent: never a 5xx (the mock answers every call
 * normally, so a 5xx would be the gateway's own), an error in the endpoint's envelope, every
 * header value within 8 KiB, and no configured secret in the status line, headers or body.
 */
export function expectSoundAnswer(answer: Answer, endpoint: Endpoint): void {
  const context = describeRequest(answer);
  if (answer.status >= 500)
    throw new Error(`gateway-caused ${answer.status}: ${answer.text.slice(0, 300)}\n${context}`);
  for (const [name, value] of answer.headers) {
    if (value.length > MAX_HEADER_VALUE)
      throw new Error(`header ${name} is ${value.length} bytes\n${context}`);
  }
  expectNoSecret(`${answer.text}\n${[...answer.headers].join("\n")}`, context);
  if (answer.status >= 400) expectEnvelope(answer, endpoint.envelope, context);
}

export function expectEnvelope(answer: Answer, envelope: Envelope, context = describeRequest(answer)): void {
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new Error(
      `error ${answer.status} is not JSON: ${JSON.stringify(answer.text.slice(0, 200))}\n${context}`,
    );
  }
  if (!isEnvelope(body, envelope)) {
    throw new Error(
      `error ${answer.status} is not in the ${envelope} envelope: ${answer.text.slice(0, 300)}\n${context}`,
    );
  }
}

function isEnvelope(body: unknown, envelope: Envelope): boolean {
  if (!isRecord(body) || !isRecord(body.error)) return false;
  const error = body.error;
  if (envelope === "anthropic") {
    return body.type === "error" && typeof error.type === "string" && typeof error.message === "string";
  }
  return (
    typeof error.message === "string" &&
    typeof error.type === "string" &&
    "param" in error &&
    (error.param === null || typeof error.param === "string") &&
    "code" in error &&
    (error.code === null || typeof error.code === "string")
  );
}

export function expectNoSecret(text: string, context: string): void {
  for (const secret of SECRET_VALUES) {
    if (text.includes(secret)) throw new Error(`a configured secret appears in the output\n${context}`);
  }
}

export function expectNoSecretInLogs(fz: FuzzGateway): void {
  expect(fz.gw.logs.length).toBeGreaterThan(0);
  expectNoSecret(JSON.stringify(fz.gw.logs), "gateway log lines");
}

/** In-flight requests and open streams back to 0, both in the runtime and on /metrics. */
export async function expectGaugesAtZero(fz: FuzzGateway): Promise<void> {
  // A zero-copy answer finishes its bookkeeping just after the response is handed over.
  const deadline = Date.now() + 2000;
  let gauges = await readGauges(fz);
  while (
    (gauges.requests !== 0 || gauges.streams !== 0 || fz.gw.runtime.inFlight !== 0) &&
    Date.now() < deadline
  ) {
    await Bun.sleep(20);
    gauges = await readGauges(fz);
  }
  expect({ ...gauges, runtime: fz.gw.runtime.inFlight }).toEqual({ requests: 0, streams: 0, runtime: 0 });
}

async function readGauges(fz: FuzzGateway): Promise<{ requests: number; streams: number }> {
  const response = await fetch(`${fz.gw.url}/metrics`, {
    headers: { authorization: `Bearer ${SECRETS.masterKey}` },
  });
  const exposition = parseExposition(await response.text());
  const value = (name: string) => exposition.samples.find((s) => s.name === name)?.value ?? Number.NaN;
  return {
    requests: value("switchboard_requests_in_flight"),
    streams: value("switchboard_streams_in_flight"),
  };
}

function describeRequest(answer: Answer): string {
  const { method, path, headers, body } = answer.request;
  const text = typeof body === "string" ? body : body ? `<${body.length} bytes>` : "";
  return `request: ${method} ${path} headers=${JSON.stringify(headers ?? {}).slice(0, 300)} body=${JSON.stringify(text.slice(0, 300))}${text.length > 300 ? "…" : ""}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
