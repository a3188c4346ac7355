import { expect, test } from "bun:test";
import { GatewayError } from "../../src/errors/gateway-error.ts";
import { readRoutingControls } from "../../src/routing/read-routing-controls.ts";

function paramOf(body: Record<string, unknown>): string | null {
  try {
    readRoutingControls(body);
  } catch (error) {
    if (error instanceof GatewayError && error.status === 400) return error.param;
    throw error;
  }
  throw new Error("expected a 400");
}

test("absent controls read as none; the body is left untouched", () => {
  const body = { model: "m", messages: [] };
  expect(readRoutingControls(body)).toEqual({});
  expect(body).toEqual({ model: "m", messages: [] });
});

test("a provider name and an object control are read", () => {
  expect(readRoutingControls({ provider: "openai", fallbacks: ["a", "b"] })).toEqual({
    provider: "openai",
    fallbacks: ["a", "b"],
  });
  expect(readRoutingControls({ provider: { order: ["x"], ignore: ["y"], only: null } })).toEqual({
    provider: { order: ["x"], ignore: ["y"] },
  });
});

test("malformed controls are a 400 naming the field path", () => {
  expect(paramOf({ provider: 3 })).toBe("provider");
  expect(paramOf({ provider: "" })).toBe("provider");
  expect(paramOf({ provider: { only: "openai" } })).toBe("provider.only");
  expect(paramOf({ provider: { prefer: ["openai"] } })).toBe("provider.prefer");
  expect(paramOf({ provider: { ignore: ["ok", 7] } })).toBe("provider.ignore[1]");
  expect(paramOf({ fallbacks: "gpt-5" })).toBe("fallbacks");
  expect(paramOf({ fallbacks: ["gpt-5", ""] })).toBe("fallbacks[1]");
});
