/** Warming up the soak gateway (bench/soak.ts, bench/soak-memory.ts) before anything is measured. */
import { SOAK_SECRETS } from "./gateway-process.ts";

/** One JSON and one streamed request per endpoint, each on a connection closed after it. */
export async function warmUp(url: string): Promise<void> {
  const headers = {
    "content-type": "application/json",
    authorization: `Bearer ${SOAK_SECRETS.masterKey}`,
    connection: "close",
  };
  const messages = [{ role: "user", content: "warm up" }];
  for (const stream of [false, true]) {
    for (const [path, body] of [
      ["/v1/chat/completions", { model: "fast", messages, stream }],
      ["/v1/messages", { model: "anthropic/claude-sonnet-4-5", max_tokens: 50, messages, stream }],
      ["/v1/responses", { model: "gemini/gemini-2.5-flash", input: "warm up", stream }],
    ] as const) {
      const response = await fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
      await response.arrayBuffer();
    }
  }
}
