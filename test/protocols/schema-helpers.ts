import { expect } from "bun:test";
import { GatewayError } from "../../src/errors/gateway-error.ts";

/** Runs `validate` and returns the GatewayError it threw, failing the test if it did not throw one. */
export function rejectionOf(validate: (body: unknown) => unknown, body: unknown): GatewayError {
  try {
    validate(body);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error(`expected the body to be rejected: ${JSON.stringify(body).slice(0, 200)}`);
}

/** Asserts a 400 invalid_request naming `param`, with the message `<path>: <detail>`. */
export function expectInvalid(
  validate: (body: unknown) => unknown,
  body: unknown,
  expected: { param: string; path?: string; detail: string | RegExp },
): void {
  const error = rejectionOf(validate, body);
  expect(error.status).toBe(400);
  expect(error.kind).toBe("invalid_request");
  expect(error.param).toBe(expected.param);
  const path = expected.path ?? expected.param;
  expect(error.message.startsWith(`${path}: `)).toBe(true);
  const detail = error.message.slice(path.length + 2);
  if (typeof expected.detail === "string") expect(detail).toBe(expected.detail);
  else expect(detail).toMatch(expected.detail);
}
