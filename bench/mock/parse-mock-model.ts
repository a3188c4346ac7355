/**
 * The benchmark mock is steered by the model name, because that is the one request field every
 * gateway forwards untouched (headers and query strings are often dropped or rewritten).
 * `events-200` → 200 content deltas; `drip-1000` → one event per second (open-streams test);
 * `spaced` → JSON written as Python's json.dumps writes it (`"usage": {`); they may be combined:
 * `events-30-drip-1000`, `events-200-spaced`.
 */
export interface MockShape {
  /** Content delta events in a stream; also the words in a non-streaming answer. */
  events: number;
  /** Milliseconds between stream events; 0 sends the whole stream at once. */
  dripMs: number;
  /** JSON with Python's default separators (vLLM, SGLang, LiteLLM) instead of compact JSON. */
  spaced: boolean;
}

const DEFAULT_EVENTS = 20;
const MAX_EVENTS = 100_000;

export function parseMockModel(model: unknown): MockShape {
  const name = typeof model === "string" ? model : "";
  const events = /events-(\d+)/.exec(name);
  const drip = /drip-(\d+)/.exec(name);
  return {
    events: events ? Math.min(Number(events[1]), MAX_EVENTS) : DEFAULT_EVENTS,
    dripMs: drip ? Number(drip[1]) : 0,
    spaced: /(^|[^a-z])spaced($|[^a-z])/.test(name),
  };
}
