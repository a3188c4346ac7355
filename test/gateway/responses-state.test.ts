import { expect, test } from "bun:test";
import type { Caller } from "../../src/auth/authenticate.ts";
import { isGatewayError } from "../../src/errors/gateway-error.ts";
import { linkConversation } from "../../src/gateway/responses-state.ts";
import type { GatewayRuntime } from "../../src/gateway/runtime.ts";
import type { ResponseStateStore } from "../../src/usage/response-state-store.ts";

const caller: Caller = { kind: "master", name: "master" };

const runtimeWith = (states: ResponseStateStore): GatewayRuntime =>
  ({
    responseStates: states,
    config: { responses: { retentionMs: 60_000 } },
    logger: { warn: () => {} },
  }) as unknown as GatewayRuntime;

const never = <T>() => new Promise<T>(() => {});

test("a hung response store is a 503 within the store timeout, not a hung request", async () => {
  const hung: ResponseStateStore = {
    putResponse: never,
    getResponse: never,
    getResponseByItem: never,
    deleteResponse: never,
    deleteExpiredResponses: never,
  };
  const started = performance.now();
  const error = await linkConversation(
    { model: "m", input: "hi", previous_response_id: "resp_1" },
    caller,
    runtimeWith(hung),
  ).catch((e: unknown) => e);
  expect(performance.now() - started).toBeLessThan(3000);
  expect(isGatewayError(error)).toBe(true);
  expect((error as { status: number; code: string }).status).toBe(503);
  expect((error as { code: string }).code).toBe("response_store_unavailable");
});

test("a failing store says so without its connection string's credentials", async () => {
  const failing: ResponseStateStore = {
    putResponse: async () => {},
    getResponse: async () => {
      throw new Error("connect failed postgres://app:hunter2@db:5432/x");
    },
    getResponseByItem: async () => null,
    deleteResponse: async () => false,
    deleteExpiredResponses: async () => 0,
  };
  const error = (await linkConversation(
    { model: "m", input: "hi", previous_response_id: "resp_1" },
    caller,
    runtimeWith(failing),
  ).catch((e: unknown) => e)) as { status: number; message: string };
  expect(error.status).toBe(503);
  expect(error.message).not.toContain("hunter2");
});
