import { expect, test } from "bun:test";
import { SentTail } from "../../src/sse/sent-tail.ts";

const tailOf = (...reads: string[]) => {
  const tail = new SentTail();
  for (const read of reads) tail.push(new TextEncoder().encode(read));
  return tail.endsWithBlankLine;
};

test("SentTail: whether what was sent ends on a blank line, however it was split into reads", () => {
  expect(tailOf()).toBe(true); // nothing sent
  expect(tailOf("data: x\n\n")).toBe(true);
  expect(tailOf("data: x\r\n\r\n")).toBe(true);
  expect(tailOf("data: x\n")).toBe(false);
  expect(tailOf("data: x")).toBe(false);
  // A blank line split into one-byte reads (a review found the old check missed it).
  expect(tailOf("data: x", "\n", "\n")).toBe(true);
  expect(tailOf("data: x\n", "\n")).toBe(true);
  expect(tailOf("data: x\n\n", "")).toBe(true);
  expect(tailOf("data: x\n\n", "d")).toBe(false);
});
