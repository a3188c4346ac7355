/**
 * Which headers cross the pass-through, each way. Hop-by-hop headers (RFC 9110 §7.6.1) belong
 * to one connection; credentials and cookies are the client's, for the gateway, never the
 * provider's; the gateway's own `x-switchboard-*` controls stay here.
 */

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The client's credentials for the gateway, in every header a provider reads one from. */
const CLIENT_CREDENTIALS = new Set(["authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie"]);

/** Set by the upstream fetch itself, or meaningless across the hop. */
const REQUEST_ONLY = new Set(["host", "expect", "content-length"]);

/** Names listed in `Connection:` are hop-by-hop too. */
function connectionListed(headers: Headers): Set<string> {
  const listed = headers.get("connection");
  return new Set(
    (listed ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The client's headers that go upstream (lower-case names); credentials are added by the provider's transport. */
export function forwardedRequestHeaders(client: Headers): Record<string, string> {
  const listed = connectionListed(client);
  const out: Record<string, string> = {};
  for (const [name, value] of client) {
    if (HOP_BY_HOP.has(name) || listed.has(name) || CLIENT_CREDENTIALS.has(name) || REQUEST_ONLY.has(name))
      continue;
    if (name.startsWith("x-switchboard-")) continue;
    out[name] = value;
  }
  // Bytes go through as they are: never let the fetch ask for an encoding and then decode it.
  out["accept-encoding"] = client.get("accept-encoding") ?? "identity";
  const length = client.get("content-length");
  if (length !== null) out["content-length"] = length;
  return out;
}

/** The provider's response headers that go back to the client. */
export function forwardedResponseHeaders(upstream: Headers): Headers {
  const listed = connectionListed(upstream);
  const out = new Headers();
  for (const [name, value] of upstream) {
    if (HOP_BY_HOP.has(name) || listed.has(name) || name === "set-cookie") continue;
    out.append(name, value);
  }
  return out;
}
