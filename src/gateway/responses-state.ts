import { withTimeout } from "../async/with-timeout.ts";
import type { Caller } from "../auth/authenticate.ts";
import { GatewayError, invalidRequest } from "../errors/gateway-error.ts";
import { redactUrl } from "../log/redact-url.ts";
import type { ResponseStateStore, StoredResponse } from "../usage/response-state-store.ts";
import type { GatewayRuntime } from "./runtime.ts";

/**
 * Responses API conversation state on providers that keep none (docs/responses.md): a response
 * the gateway answered by translation is kept (its input items and output) unless the request
 * said `store: false`; a later request naming it in `previous_response_id` gets that history
 * prepended to its input, whatever provider answers. An id the gateway does not know is left in
 * place for a Responses upstream (which keeps its own state) and refused by translated ones.
 */
export interface ConversationLink {
  /** The body to send and translate: the history prepended, `previous_response_id` resolved. */
  body: Record<string, unknown>;
  /** The body as the client sent it, for the settings the answer echoes. */
  echoBody: Record<string, unknown>;
  /** Why translation cannot honour `previous_response_id` (unknown id, or no store). */
  unresolved?: GatewayError;
  /** Keeps a translated answer for later turns; a no-op when `store: false` or no store. */
  remember: (answer: Record<string, unknown>) => void;
}

/** Writes still in flight, so a follow-up that arrives before its predecessor is saved still finds it. */
const pendingWrites = new Map<string, Promise<void>>();

export async function linkConversation(
  body: Record<string, unknown>,
  caller: Caller,
  runtime: GatewayRuntime,
): Promise<ConversationLink> {
  const states = runtime.responseStates;
  const previousId = typeof body.previous_response_id === "string" ? body.previous_response_id : undefined;
  let input = inputItemsOf(body.input);
  let sendBody = body;
  let unresolved: GatewayError | undefined;
  if (previousId !== undefined) {
    const previous = states ? await lookUp(states, previousId, caller) : null;
    if (previous) {
      input = [...previous.input, ...(previous.response.output as unknown[]), ...input];
      sendBody = { ...body, input };
      delete sendBody.previous_response_id;
    } else {
      unresolved = states
        ? invalidRequest(
            `Previous response with id '${previousId}' not found.`,
            "previous_response_id",
            "previous_response_not_found",
          )
        : invalidRequest(
            "previous_response_id needs the gateway's response store, and usage.store is off: send the whole conversation in `input`, or turn the store on.",
            "previous_response_id",
            "response_store_off",
          );
    }
  }
  if (states && input.some(isItemReference)) {
    const resolved = await resolveItemReferences(input, states, caller);
    if (resolved !== input) {
      input = resolved;
      sendBody = sendBody === body ? { ...body, input } : { ...sendBody, input };
    }
  }
  return {
    body: sendBody,
    echoBody: body,
    unresolved,
    remember: states && body.store !== false ? rememberer(states, input, caller, runtime) : forget,
  };
}

/** `store: false`, or no store: nothing kept (module-level, so it closes over no request). */
const forget = (): void => {};

/**
 * Keeps a translated answer with the input it answered. A function of its own: a closure made in
 * `linkConversation` would share that async function's scope and keep every body it built (the
 * sent body, the client's) for as long as the stream lasts (docs/performance.md, "What a stream
 * holds"); this one keeps the input items the store needs, nothing more.
 */
function rememberer(
  states: ResponseStateStore,
  input: unknown[],
  caller: Caller,
  runtime: GatewayRuntime,
): (answer: Record<string, unknown>) => void {
  return (answer) => {
    if (typeof answer.id !== "string" || !Array.isArray(answer.output)) return;
    const now = Date.now();
    const stored: StoredResponse = {
      id: answer.id,
      keyName: caller.name,
      createdAt: now,
      expiresAt: now + runtime.config.responses.retentionMs,
      input,
      // A copy as the client received it: the pipeline may still add debug or meta members.
      response: structuredClone(answer),
    };
    const write = states
      .putResponse(stored)
      .catch((error: unknown) =>
        runtime.logger.warn("response state not saved", {
          response_id: answer.id,
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => pendingWrites.delete(stored.id));
    pendingWrites.set(stored.id, write);
  };
}

/** A stored response the caller may see: another key's is as good as absent. */
export async function lookUp(
  states: ResponseStateStore,
  id: string,
  caller: Caller,
): Promise<StoredResponse | null> {
  const stored = await withStateTimeout(
    (pendingWrites.get(id) ?? Promise.resolve()).then(() => states.getResponse(id)),
  );
  return stored && stored.keyName === caller.name ? stored : null;
}

/** The longest a request waits on the response store before it is told the store is unavailable. */
const STATE_TIMEOUT_MS = 2000;

/** A store call bounded by STATE_TIMEOUT_MS; a slow, hung or failing store is a 503 that says so. */
function withStateTimeout<T>(call: Promise<T>): Promise<T> {
  const failed = call.catch((error: unknown) => {
    throw stateUnavailable(error instanceof Error ? error.message : String(error));
  });
  return withTimeout(failed, STATE_TIMEOUT_MS, () => stateUnavailable("did not answer in time"));
}

const stateUnavailable = (why: string): GatewayError =>
  new GatewayError({
    kind: "overloaded",
    status: 503,
    message: `The gateway's response store is unavailable (${redactUrl(why).slice(0, 200)}); previous_response_id, item_reference and /v1/responses/{id} need it.`,
    code: "response_store_unavailable",
  });

function isItemReference(item: unknown): item is { type: "item_reference"; id: string } {
  return (
    typeof item === "object" &&
    item !== null &&
    (item as { type?: unknown }).type === "item_reference" &&
    typeof (item as { id?: unknown }).id === "string"
  );
}

/**
 * `item_reference` inputs naming output items of responses the gateway kept (the Vercel AI SDK
 * sends them instead of the items when `store` is on) become those items. References the gateway
 * does not know stay: a Responses upstream may know them, and translation refuses them.
 */
async function resolveItemReferences(
  input: unknown[],
  states: ResponseStateStore,
  caller: Caller,
): Promise<unknown[]> {
  let changed = false;
  const resolved: unknown[] = [];
  for (const item of input) {
    if (!isItemReference(item)) {
      resolved.push(item);
      continue;
    }
    const stored = await withStateTimeout(states.getResponseByItem(item.id));
    const output = stored && stored.keyName === caller.name ? (stored.response.output as unknown[]) : [];
    const found = output.find(
      (candidate) =>
        typeof candidate === "object" && candidate !== null && (candidate as { id?: unknown }).id === item.id,
    );
    if (found) changed = true;
    resolved.push(found ?? item);
  }
  return changed ? resolved : input;
}

/** `input` as a list of items: a string is one user message. */
function inputItemsOf(input: unknown): unknown[] {
  if (typeof input === "string") return [{ role: "user", content: input }];
  return Array.isArray(input) ? input : [];
}

export const responseNotFound = (id: string): GatewayError =>
  new GatewayError({
    kind: "not_found",
    status: 404,
    message: `No response with id '${id}' found.`,
    param: "response_id",
    code: "response_not_found",
  });
