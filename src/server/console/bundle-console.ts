import { join } from "node:path";

/** The browser entry of the console (plain DOM + uPlot, TypeScript). */
export const CONSOLE_ENTRY = join(import.meta.dir, "ui", "main.ts");

/** One minified ES module: the console's code, its CSS (as text) and uPlot. */
export async function bundleConsole(): Promise<string> {
  const result = await Bun.build({
    entrypoints: [CONSOLE_ENTRY],
    target: "browser",
    format: "esm",
    minify: true,
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    throw: false,
  });
  const output = result.outputs.find((artifact) => artifact.kind === "entry-point");
  if (!result.success || !output) {
    throw new Error(`console bundle failed:\n${result.logs.map(String).join("\n")}`);
  }
  return output.text();
}
