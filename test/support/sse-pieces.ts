/**
 * Recorded SSE streams cut into arbitrary pieces, for the tests that check a stream reader gives
 * the same answer whatever the reads it gets.
 */
import { readdirSync } from "node:fs";
import { Random } from "../../bench/soak/random.ts";
import { fixturesDir, readFixture } from "./fixtures.ts";

/** Every recorded SSE stream (the .txt files holding `data:` lines). */
export function recordedSSEStreams(): Array<{ name: string; text: string }> {
  const streams: Array<{ name: string; text: string }> = [];
  for (const dir of readdirSync(fixturesDir(), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(`${fixturesDir()}${dir.name}`)) {
      if (!file.endsWith(".txt")) continue;
      const name = `${dir.name}/${file}`;
      const text = readFixture(name);
      if (/^data:/m.test(text)) streams.push({ name, text });
    }
  }
  return streams;
}

/** Deterministic pieces of 1–`max` bytes (so UTF-8 sequences and line ends are split too). */
export function randomPieces(bytes: Uint8Array, seed: number, max = 64): Uint8Array[] {
  const random = new Random(seed);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = random.int(1, max);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}
