import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { isGatewayError } from "../../../src/errors/gateway-error.ts";
import {
  parseServiceAccount,
  ServiceAccountTokenSource,
} from "../../../src/providers/vertex/service-account-token.ts";
import { type MockVertex, startMockVertex } from "../../support/clouds/mock-vertex.ts";
import { type MockUpstream, startMockUpstream } from "../../support/mock-upstream.ts";

let mock: MockUpstream;
let vertex: MockVertex;

beforeAll(async () => {
  mock = await startMockUpstream();
  vertex = await startMockVertex(mock);
});

afterAll(async () => {
  await vertex.stop();
  await mock.stop();
});

const account = async () => parseServiceAccount(await Bun.file(vertex.credentialsFile).text());

describe("ServiceAccountTokenSource", () => {
  test("the token endpoint accepts the signed JWT; the token is cached until 5 minutes before expiry", async () => {
    let now = Date.now();
    const source = new ServiceAccountTokenSource(await account(), "vertex", () => now);
    const before = vertex.tokenRequests;
    // 330 s: usable for 30 s (the margin is 5 minutes); the mock refuses assertions from the future.
    vertex.tokenLifetimeSeconds = 330;
    const first = await source.token();
    expect(first).toStartWith("ya29.test-");
    now += 20_000;
    expect(await source.token()).toBe(first);
    now += 20_000;
    const second = await source.token();
    expect(second).not.toBe(first);
    vertex.tokenLifetimeSeconds = 3600;
    expect(vertex.tokenRequests - before).toBe(2);
  });

  test("concurrent callers share one refresh", async () => {
    const source = new ServiceAccountTokenSource(await account(), "vertex");
    const before = vertex.tokenRequests;
    const tokens = await Promise.all(Array.from({ length: 20 }, () => source.token()));
    expect(new Set(tokens).size).toBe(1);
    expect(vertex.tokenRequests - before).toBe(1);
  });

  test("a refused assertion is a 502 GatewayError naming the status, never the key or the JWT", async () => {
    const real = await account();
    const wrong = { ...real, client_email: "someone-else@example.iam.gserviceaccount.com" };
    const error = await new ServiceAccountTokenSource(wrong, "vertex").token().catch((e: unknown) => e);
    expect(isGatewayError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toBe(
      "Provider 'vertex' could not get an access token: the token endpoint answered HTTP 400 (invalid_grant).",
    );
  });

  test("secrets() lists the private key and the current token (for redaction)", async () => {
    const source = new ServiceAccountTokenSource(await account(), "vertex");
    const token = await source.token();
    expect(source.secrets()).toEqual([(await account()).private_key, token]);
  });

  test("parseServiceAccount names what is missing, never a value", () => {
    expect(() => parseServiceAccount('{"type":"service_account","client_email":"a@b"}')).toThrow(
      "has no private_key",
    );
    expect(() => parseServiceAccount('{"type":"authorized_user"}')).toThrow(
      "is a authorized_user credential",
    );
    expect(() => parseServiceAccount("not json")).toThrow("is not JSON");
  });
});
