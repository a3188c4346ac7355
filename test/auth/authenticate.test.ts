import { describe, expect, test } from "bun:test";
import { assertModelAllowed, globMatches } from "../../src/auth/allow-list.ts";
import { authenticate, buildKeyIndex, presentedKey } from "../../src/auth/authenticate.ts";
import { hashKey as sha256Hex } from "../../src/config/hash-key.ts";
import type { ResolvedConfig } from "../../src/config/types.ts";
import { GatewayError } from "../../src/errors/gateway-error.ts";

const configWith = (auth: ResolvedConfig["auth"]) => ({ auth }) as ResolvedConfig;

const index = buildKeyIndex(
  configWith({
    masterKeySha256: sha256Hex("sk-master"),
    keys: [{ name: "ci-bot", sha256: sha256Hex("sk-ci"), models: ["fast", "openai/*"], passthrough: false }],
  }),
);

const headers = (init: Record<string, string>) => new Headers(init);

describe("gateway auth", () => {
  test("Bearer and x-api-key both carry the key", () => {
    expect(presentedKey(headers({ authorization: "Bearer abc" }))).toBe("abc");
    expect(presentedKey(headers({ authorization: "bearer   abc " }))).toBe("abc");
    expect(presentedKey(headers({ "x-api-key": "xyz" }))).toBe("xyz");
    expect(presentedKey(headers({}))).toBeNull();
  });

  test("master and virtual keys are recognised by either header", () => {
    expect(authenticate(headers({ authorization: "Bearer sk-master" }), index).kind).toBe("master");
    const caller = authenticate(headers({ "x-api-key": "sk-ci" }), index);
    expect(caller.kind).toBe("virtual");
    expect(caller.name).toBe("ci-bot");
  });

  test("missing and wrong keys are 401", () => {
    for (const h of [
      {} as Record<string, string>,
      { authorization: "Bearer nope" },
      { "x-api-key": "sk-ci " + "x" },
    ]) {
      try {
        authenticate(headers(h), index);
        throw new Error("expected a 401");
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
        expect((error as GatewayError).status).toBe(401);
        expect((error as GatewayError).message).not.toContain("sk-");
      }
    }
  });

  test("no keys configured means an open gateway", () => {
    const open = buildKeyIndex(configWith({ keys: [] }));
    expect(authenticate(headers({}), open).kind).toBe("open");
  });

  test("allow-list globs: * matches any characters, / included", () => {
    expect(globMatches("openai/*", "openai/gpt-4o")).toBe(true);
    expect(globMatches("openai/*", "openrouter/openai/gpt-4o")).toBe(false);
    expect(globMatches("*/claude-*", "openrouter/anthropic/claude-sonnet-4.6")).toBe(true);
    expect(globMatches("fast", "fast")).toBe(true);
    expect(globMatches("fast", "faster")).toBe(false);
    expect(globMatches("a*b*c", "abc")).toBe(true);
    expect(globMatches("a*a", "a")).toBe(false);
  });

  test("a key outside its allow-list gets 403", () => {
    const caller = authenticate(headers({ "x-api-key": "sk-ci" }), index);
    expect(() => assertModelAllowed(caller, "openai/gpt-4o")).not.toThrow();
    expect(() => assertModelAllowed(caller, "anthropic/claude-opus-4-8")).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    const master = authenticate(headers({ authorization: "Bearer sk-master" }), index);
    expect(() => assertModelAllowed(master, "anything")).not.toThrow();
  });
});
