#!/usr/bin/env bun
/**
 * Prints a saved run (bench/results/*.json) as the markdown `bun run bench` printed for it.
 *
 *   bun bench/render.ts bench/results/2026-11-22-host.json
 */
import { readFileSync } from "node:fs";
import { renderReport } from "./lib/render-markdown.ts";
import type { BenchReport } from "./lib/report-types.ts";

const file = process.argv[2];
if (!file) throw new Error("usage: bun bench/render.ts <results.json>");
const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
if (typeof parsed !== "object" || parsed === null || (parsed as { schema?: unknown }).schema !== 1) {
  throw new Error(`${file} is not a benchmark report (schema 1)`);
}
process.stdout.write(`${renderReport(parsed as BenchReport)}\n`);
