import type { ProviderType } from "../../config/types.ts";

/**
 * How a pass-through request's body meets the provider's credentials (`transport.authorize`):
 * - `stream`: credentials are headers only (API keys, bearer tokens): the body streams up as it
 *   arrives, authorize sees the call with an empty body;
 * - `buffer`: the signature covers the body (SigV4): the body is read whole first (within
 *   `server.body_limit`) and handed to authorize as the call's body, then sent as signed.
 * A new provider type is a compile error here until it says which.
 */
export const PASSTHROUGH_BODY: Record<ProviderType, "stream" | "buffer"> = {
  openai: "stream",
  anthropic: "stream",
  gemini: "stream",
  azure: "stream",
  vertex: "stream",
  bedrock: "buffer",
};
