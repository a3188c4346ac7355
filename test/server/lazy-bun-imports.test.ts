// A value import from "bun" (`import { SQL } from "bun"`) is hoisted by `bun build` to the top of
// the compiled bundle as `var { SQL } = globalThis.Bun`, which loads that part of Bun at every
// start-up, used or not (bun:sql alone was ~10 ms of exec → ready, docs/performance.md). The
// source reaches them as `Bun.SQL` / `Bun.RedisClient` where used; this keeps it that way.
import { expect, test } from "bun:test";
import { Glob } from "bun";

test("src/ has no value imports from the bun module (type imports only)", async () => {
  const offenders: string[] = [];
  for await (const path of new Glob("src/**/*.ts").scan({ cwd: `${import.meta.dir}/../..` })) {
    const text = await Bun.file(`${import.meta.dir}/../../${path}`).text();
    for (const match of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"bun";/gm))
      offenders.push(`${path}: ${match[0]}`);
  }
  expect(offenders).toEqual([]);
});
