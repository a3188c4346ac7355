import { describe, expect, test } from "bun:test";
import { isGatewayError } from "../../src/errors/gateway-error.ts";
import { CachedTokenSource, type IssuedToken } from "../../src/providers/cached-token-source.ts";

/** A source whose tokens come from a script: each issue() takes the next answer. */
class ScriptedSource extends CachedTokenSource {
  calls = 0;
  constructor(
    private readonly answers: Array<IssuedToken | "fail">,
    now: () => number,
    failFastMs = 0,
  ) {
    super("p", { now, failFastMs });
  }
  describe(): string {
    return "scripted";
  }
  protected credentialSecrets(): string[] {
    return ["the-secret"];
  }
  protected async issue(): Promise<IssuedToken> {
    const answer = this.answers[this.calls++];
    if (!answer || answer === "fail") throw this.failure("the script said no");
    return answer;
  }
}

describe("CachedTokenSource", () => {
  test("cached until 5 minutes before expiry, then refreshed; secrets() holds the credential and the token", async () => {
    let now = 1_000_000;
    const source = new ScriptedSource(
      [
        { token: "t1", expiresInSeconds: 330 },
        { token: "t2", expiresInSeconds: 3600 },
      ],
      () => now,
    );
    expect(await source.token()).toBe("t1");
    now += 29_000;
    expect(await source.token()).toBe("t1");
    now += 2_000;
    expect(await source.token()).toBe("t2");
    expect(source.calls).toBe(2);
    expect(source.secrets()).toEqual(["the-secret", "t2"]);
  });

  test("concurrent callers share one refresh, and one failure", async () => {
    const source = new ScriptedSource(["fail", { token: "t", expiresInSeconds: 3600 }], Date.now);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => source.token()));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(source.calls).toBe(1);
    // No fail-fast window by default: the next call tries again.
    expect(await source.token()).toBe("t");
  });

  test("failFastMs: after a failure, the same 502 at once until the window passes", async () => {
    let now = 0;
    const source = new ScriptedSource(["fail", { token: "t", expiresInSeconds: 3600 }], () => now, 5000);
    const first = await source.token().catch((e: unknown) => e);
    expect(isGatewayError(first)).toBe(true);
    expect((first as Error).message).toBe("Provider 'p' could not get an access token: the script said no.");
    now += 4999;
    expect(await source.token().catch((e: unknown) => e)).toBe(first);
    expect(source.calls).toBe(1);
    now += 2;
    expect(await source.token()).toBe("t");
  });

  test("a refresh that fails while the cached token is still good: the cached token is sent", async () => {
    let now = 0;
    const source = new ScriptedSource(
      [{ token: "old", expiresInSeconds: 3600 }, "fail", "fail", { token: "new", expiresInSeconds: 3600 }],
      () => now,
      5000,
    );
    expect(await source.token()).toBe("old");
    now = (3600 - 240) * 1000; // inside the margin: refreshed, but 4 minutes left
    expect(await source.token()).toBe("old");
    expect(source.calls).toBe(2);
    expect(await source.token()).toBe("old"); // within the fail-fast window: no new attempt
    expect(source.calls).toBe(2);
    now += 5001;
    expect(await source.token()).toBe("old");
    expect(source.calls).toBe(3);
    now += 5001;
    expect(await source.token()).toBe("new");
    // With under 10 s left, a failing refresh is the request's failure.
    let later = 0;
    const expiring = new ScriptedSource([{ token: "x", expiresInSeconds: 5 }, "fail"], () => later);
    expect(await expiring.token()).toBe("x");
    later = 3000; // past half its life, 2 s left
    expect(isGatewayError(await expiring.token().catch((e: unknown) => e))).toBe(true);
  });

  test("a token that arrives inside the margin is used for half its life, not fetched per request", async () => {
    let now = 0;
    const source = new ScriptedSource(
      [
        { token: "short", expiresInSeconds: 280 },
        { token: "next", expiresInSeconds: 3600 },
      ],
      () => now,
    );
    for (let i = 0; i < 5; i++) expect(await source.token()).toBe("short");
    now = 139_000;
    expect(await source.token()).toBe("short");
    expect(source.calls).toBe(1);
    now = 141_000;
    expect(await source.token()).toBe("next");
    expect(source.calls).toBe(2);
  });
});
