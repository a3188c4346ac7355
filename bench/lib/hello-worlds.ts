/**
 * The floors every footprint figure is a ratio to: a `Bun.serve` hello-world (answers any path)
 * and an Elysia hello-world (answers `/`), compiled with the gateway's own build flags; argv is
 * [binary, port]. Their entries are written under .cache so that `elysia` resolves.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildBinary, ROOT } from "../../scripts/build.ts";

const HELLO_BUN = `Bun.serve({ hostname: "127.0.0.1", port: Number(process.argv[2]), fetch: () => new Response("ok") });\n`;
const HELLO_ELYSIA = `import { Elysia } from "elysia";\nnew Elysia().get("/", () => "ok").listen({ hostname: "127.0.0.1", port: Number(process.argv[2]) });\n`;

/** Both hello-worlds built into `out`; their paths. */
export async function buildHelloWorlds(out: string): Promise<{ bun: string; elysia: string }> {
  const src = join(ROOT, ".cache", "footprint");
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, "hello-bun.ts"), HELLO_BUN);
  writeFileSync(join(src, "hello-elysia.ts"), HELLO_ELYSIA);
  const bun = await buildBinary({ entry: join(src, "hello-bun.ts"), outfile: join(out, "hello-bun") });
  const elysia = await buildBinary({
    entry: join(src, "hello-elysia.ts"),
    outfile: join(out, "hello-elysia"),
  });
  return { bun: bun.path, elysia: elysia.path };
}
