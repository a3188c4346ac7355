import type { ResolvedProvider } from "../config/types.ts";
import { SSEDeframer } from "../sse/sse-deframer.ts";
import type { ProviderTransport, UpstreamCall, WireRoute } from "./transport.ts";

/**
 * The transport of the vendors' own APIs (OpenAI and every compatible server, Anthropic, Gemini):
 * the codec's path on the base URL, the API key in one header, SSE streams.
 */
export function headerKeyTransport(
  header: string,
  format: (key: string) => string = (key) => key,
): ProviderTransport {
  return {
    url: (provider: ResolvedProvider, route: WireRoute) => provider.baseUrl + route.path,
    async authorize(call: UpstreamCall, { key }) {
      if (key?.secret) call.headers[header] = format(key.secret);
    },
    framing: "sse",
    createDeframer: () => new SSEDeframer(),
  };
}
