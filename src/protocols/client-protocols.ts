import { anthropicMessagesProtocol } from "./anthropic/client-protocol.ts";
import type { ClientProtocol, ClientProtocolModule } from "./client-protocol.ts";
import { openAIChatProtocol } from "./openai/client-protocol.ts";
import { responsesProtocol } from "./responses/client-protocol.ts";

/** Every client protocol the gateway serves; a new one must be added here (and the compiler says where else). */
export const CLIENT_PROTOCOLS: Record<ClientProtocol, ClientProtocolModule> = {
  openai: openAIChatProtocol,
  anthropic: anthropicMessagesProtocol,
  responses: responsesProtocol,
};

const BY_ROUTE = new Map<string, ClientProtocol>(
  Object.values(CLIENT_PROTOCOLS).flatMap((module) =>
    module.routes.map((route) => [route, module.protocol] as const),
  ),
);

/**
 * The protocol whose envelope an error on `path` uses: a generation route's own; Anthropic's under
 * `/anthropic/` and `/v1/messages/…` (count_tokens); else OpenAI's, the lingua franca.
 */
export function protocolOfPath(path: string): ClientProtocol {
  const known = BY_ROUTE.get(path);
  if (known) return known;
  return path.startsWith("/anthropic/") || path.startsWith("/v1/messages") ? "anthropic" : "openai";
}
