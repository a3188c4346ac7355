/**
 * The soak's clients: a fixed number of workers sending a seeded mix of requests as fast as
 * they are answered. Chat Completions, Messages, Responses and count_tokens, JSON and streams,
 * to providers of the same protocol and of another; some clients leave early; a share of the
 * requests are the reliability suite's fuzz (mutated and malformed bodies).
 *
 * Every request carries its own `x-request-id` (`soak-N`, `soak-fuzz-N`) so the run can match
 * answers, usage rows and what the upstream saw.
 */
import fc from "fast-check";
import {
  applyMutation,
  malformedBody,
  mutation,
  toJsonText,
  validBody,
} from "../../test/reliability/arbitraries.ts";
import { soakPrompt } from "./faulty-upstream.ts";
import { SECRET_VALUES, SOAK_SECRETS } from "./gateway-process.ts";
import type { Random } from "./random.ts";

type Endpoint = "chat" | "messages" | "responses" | "count_tokens";

const PATHS: Record<Endpoint, string[]> = {
  chat: ["/v1/chat/completions", "/openai/v1/chat/completions"],
  messages: ["/v1/messages", "/anthropic/v1/messages"],
  responses: ["/v1/responses", "/openai/v1/responses"],
  count_tokens: ["/v1/messages/count_tokens"],
};
const ENDPOINT_MIX: ReadonlyArray<readonly [Endpoint, number]> = [
  ["chat", 0.4],
  ["messages", 0.33],
  ["responses", 0.22],
  ["count_tokens", 0.05],
];
/** Same protocol for some endpoints, translated for the others; aliases and a fallback chain. */
const MODELS = [
  "openai/gpt-4o-mini",
  "anthropic/claude-sonnet-4-5",
  "gemini/gemini-2.5-flash",
  "fast",
  "chain",
] as const;

export interface LoadOptions {
  url: string;
  concurrency: number;
  /** Share of requests that are fuzz. */
  fuzzShare: number;
  /** Share of normal requests whose client leaves early. */
  abortShare: number;
}

export interface LoadTally {
  sent: number;
  /** Requests that got a status line back (the client did not leave first). */
  answered: number;
  byStatus: Map<number, number>;
  /** Requests whose client left on purpose. */
  clientAborted: number;
  /** Requests that failed on the client side without the client leaving (reset, refused). */
  transportErrors: number;
  /** Requests still unanswered after CLIENT_TIMEOUT_MS (the client gave up): the gateway hung. */
  hung: Array<{ id: string; path: string }>;
  /** Streams answered 200 that ended with the protocol's error event. */
  streamErrorEvents: number;
  /** Answers (body or headers) that contained a configured secret. */
  secretLeaks: number;
  fuzzSent: number;
  /** Normal (non-fuzz) requests answered with a status, by id, with their path: each must have a usage row. */
  answeredIds: Map<string, string>;
  /** Every 5xx answer, to be classified against its usage row's attempts (or its body). */
  fiveXx: FiveXx[];
}

export interface FiveXx {
  id: string;
  status: number;
  path: string;
  /** The error envelope's message, cut. */
  message: string;
}

export function emptyTally(): LoadTally {
  return {
    sent: 0,
    answered: 0,
    byStatus: new Map(),
    clientAborted: 0,
    transportErrors: 0,
    hung: [],
    streamErrorEvents: 0,
    secretLeaks: 0,
    fuzzSent: 0,
    answeredIds: new Map(),
    fiveXx: [],
  };
}

interface SoakRequest {
  id: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  fuzz: boolean;
  leave?: { afterMs: number } | { afterChunks: number };
}

/** Fuzz bodies for the generation endpoints, drawn once from the reliability suite's arbitraries. */
function fuzzPool(seed: number): Array<{ path: string; body: string | Uint8Array }> {
  const endpoints = Object.entries(PATHS) as Array<[Endpoint, string[]]>;
  const one = fc
    .constantFrom(...endpoints)
    .chain(([kind, paths]) =>
      fc.tuple(
        fc.constantFrom(...paths),
        fc.oneof(
          fc
            .tuple(validBody(kind), fc.array(mutation, { minLength: 1, maxLength: 3 }))
            .map(([body, ms]) => toJsonText(ms.reduce(applyMutation, body))),
          malformedBody(kind),
        ),
      ),
    )
    .map(([path, body]) => ({ path, body }));
  return fc.sample(one, { seed, numRuns: 500 });
}

export class LoadGenerator {
  private n = 0;
  private readonly fuzz: Array<{ path: string; body: string | Uint8Array }>;

  /** `prefix` starts every request id (`soak-12`, `soak-fuzz-3`): unique per generator. */
  constructor(
    private readonly random: Random,
    private readonly options: LoadOptions,
    seed: number,
    private readonly prefix = "soak",
  ) {
    this.fuzz = fuzzPool(seed);
  }

  next(): SoakRequest {
    const r = this.random;
    const key = r.chance(0.5) ? SOAK_SECRETS.masterKey : SOAK_SECRETS.appKey;
    if (r.chance(this.options.fuzzShare)) {
      const fuzz = r.oneOf(this.fuzz);
      return {
        id: `${this.prefix}-fuzz-${this.n++}`,
        path: fuzz.path,
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: fuzz.body,
        fuzz: true,
      };
    }
    const id = `${this.prefix}-${this.n++}`;
    const endpoint = r.pick(ENDPOINT_MIX);
    const model = r.oneOf(MODELS);
    const stream = endpoint !== "count_tokens" && r.chance(0.5);
    const request: SoakRequest = {
      id,
      path: r.oneOf(PATHS[endpoint]),
      headers: {
        "content-type": "application/json",
        ...(r.chance(0.5) ? { authorization: `Bearer ${key}` } : { "x-api-key": key }),
      },
      body: JSON.stringify(bodyFor(endpoint, model, stream, soakPrompt(id))),
      fuzz: false,
    };
    if (r.chance(this.options.abortShare)) {
      request.leave = r.chance(0.5) ? { afterMs: r.int(0, 400) } : { afterChunks: r.int(0, 3) };
    }
    return request;
  }
}

function bodyFor(
  endpoint: Endpoint,
  model: string,
  stream: boolean,
  prompt: string,
): Record<string, unknown> {
  switch (endpoint) {
    case "chat":
      return {
        model,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: prompt },
        ],
        max_tokens: 200,
        stream,
        ...(stream ? { stream_options: { include_usage: true } } : {}),
      };
    case "messages":
      return {
        model,
        max_tokens: 200,
        system: "Be brief.",
        messages: [{ role: "user", content: prompt }],
        stream,
      };
    case "responses":
      return { model, instructions: "Be brief.", input: prompt, max_output_tokens: 200, stream };
    case "count_tokens":
      return { model, messages: [{ role: "user", content: prompt }] };
  }
}

/**
 * Longer than any wait the soak config allows (provider timeout 3 s, stall 2 s, retries, a
 * Retry-After of 1 s): a request still open after this is one the gateway never finished.
 */
const CLIENT_TIMEOUT_MS = 20_000;

const STREAM_ERROR = /^event: error$|^data: \{"error"|"type":"response\.failed"|^event: response\.failed$/m;

/** Sends one request and adds what happened to the tally. */
export async function send(url: string, request: SoakRequest, tally: LoadTally): Promise<void> {
  tally.sent++;
  if (request.fuzz) tally.fuzzSent++;
  const controller = new AbortController();
  const leave = request.leave;
  const timer = leave && "afterMs" in leave ? setTimeout(() => controller.abort(), leave.afterMs) : undefined;
  let gaveUp = false;
  const watchdog = setTimeout(() => {
    gaveUp = true;
    controller.abort();
  }, CLIENT_TIMEOUT_MS);
  try {
    const response = await fetch(`${url}${request.path}`, {
      method: "POST",
      headers: { ...request.headers, "x-request-id": request.id },
      body: request.body,
      signal: controller.signal,
    });
    let text = "";
    if (leave && "afterChunks" in leave && response.body) {
      const reader = response.body.getReader();
      for (let i = 0; i < leave.afterChunks; i++) if ((await reader.read()).done) break;
      controller.abort();
      clearTimeout(watchdog);
      await reader.cancel().catch(() => undefined);
      tally.clientAborted++;
      return;
    }
    text = await response.text();
    clearTimeout(timer);
    clearTimeout(watchdog);
    tally.answered++;
    tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1);
    if (!request.fuzz) tally.answeredIds.set(request.id, request.path);
    if (response.status >= 500) {
      tally.fiveXx.push({
        id: request.id,
        status: response.status,
        path: request.path,
        message: errorMessageOf(text),
      });
    }
    const headerText = [...response.headers].join("\n");
    if (SECRET_VALUES.some((secret) => text.includes(secret) || headerText.includes(secret)))
      tally.secretLeaks++;
    if (response.status === 200 && STREAM_ERROR.test(text)) tally.streamErrorEvents++;
  } catch {
    clearTimeout(timer);
    clearTimeout(watchdog);
    if (gaveUp) tally.hung.push({ id: request.id, path: request.path });
    else if (controller.signal.aborted) tally.clientAborted++;
    else tally.transportErrors++;
  }
}

function errorMessageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    return String(body.error?.message ?? "").slice(0, 120);
  } catch {
    return text.slice(0, 120);
  }
}

/** Workers sending requests until `until()` says stop. */
export async function runLoad(
  generator: LoadGenerator,
  options: LoadOptions,
  tally: LoadTally,
  until: () => boolean,
): Promise<void> {
  const worker = async () => {
    while (!until()) await send(options.url, generator.next(), tally);
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}
