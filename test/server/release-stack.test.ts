import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { releaseDeepStack } from "../../src/server/release-stack.ts";

/** Resident kB of the main thread's stack mapping. */
function stackRssKb(): number {
  const smaps = readFileSync("/proc/self/smaps", "utf8");
  const at = smaps.indexOf(" [stack]");
  return Number(/Rss:\s+(\d+) kB/.exec(smaps.slice(at))?.[1] ?? Number.NaN);
}

test.skipIf(process.platform !== "linux")(
  "a deeply nested JSON.parse leaves the stack grown; the release gives it back, and deep parsing still works",
  () => {
    const deep = `${"[".repeat(150_000)}${"]".repeat(150_000)}`;
    JSON.parse(deep);
    const grown = stackRssKb();
    expect(grown).toBeGreaterThan(3 * 1024); // JSC's parser recursed through most of its 5 MB
    const released = releaseDeepStack();
    expect(released).toBeGreaterThan(2 * 1024 * 1024);
    expect(stackRssKb()).toBeLessThanOrEqual(512 + 64); // the top 512 KB kept
    // The released pages are dead frames: recursion through them again works.
    expect(Array.isArray(JSON.parse(deep))).toBe(true);
    expect(releaseDeepStack()).toBeGreaterThan(0);
  },
);

test("nothing to release when the stack never grew past what is kept", () => {
  expect(releaseDeepStack(64 * 1024 * 1024)).toBe(0);
});
