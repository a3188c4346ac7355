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

test.skipIf(process.platform !== "linux")(
  "a large environment above the frames is kept: the release never reaches live frames",
  async () => {
    // 720 KB of environment sits above main()'s frames: "top 512 KiB of the mapping" would cut them.
    const big = "x".repeat(120_000);
    const env: Record<string, string> = { PATH: process.env.PATH ?? "" };
    for (let i = 0; i < 6; i++) env[`BIG_${i}`] = big;
    const script = `
      const { releaseDeepStack } = await import(${JSON.stringify(`${import.meta.dir}/../../src/server/release-stack.ts`)});
      JSON.parse("[".repeat(20000) + "]".repeat(20000));
      setTimeout(() => {
        const released = releaseDeepStack();
        const depth = (n) => (n === 0 ? 0 : 1 + depth(n - 1));
        console.log(JSON.stringify({ released, depth: depth(2000), env: process.env.BIG_5.length }));
      }, 10);
    `;
    const child = Bun.spawn([process.execPath, "-e", script], { env, stdout: "pipe", stderr: "pipe" });
    const out = await new Response(child.stdout).text();
    expect(await child.exited).toBe(0);
    const result = JSON.parse(out.trim()) as { released: number; depth: number; env: number };
    expect(result.released).toBeGreaterThan(1024 * 1024);
    expect(result.depth).toBe(2000);
    expect(result.env).toBe(120_000);
  },
);
