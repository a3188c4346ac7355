import type { EncodeContext } from "../../../src/ir/codec.ts";
import type { IRRequest } from "../../../src/ir/types.ts";

export function makeRequest(overrides: Partial<IRRequest> = {}): IRRequest {
  return {
    model: "gemini-2.5-flash",
    system: [],
    messages: [{ role: "user", parts: [{ type: "text", text: "hi" }] }],
    stream: false,
    unknown: {},
    ...overrides,
  };
}

export function makeContext(strict = false): EncodeContext {
  return { providerName: "gemini", strict, dropped: [], adjusted: [] };
}

/** Deterministic tool-call ids for golden tests. */
export function sequentialIds(): () => string {
  let n = 0;
  return () => `call_${n++}`;
}
