import type { ResolvedProvider } from "../../config/types.ts";
import { GatewayError } from "../../errors/gateway-error.ts";

/** The path and query after `/p/{provider}` of a pass-through request, as the client sent them. */
export interface PassthroughPath {
  provider: string;
  /** Raw (still percent-encoded) rest of the path, starting with `/`, or "". */
  rest: string;
  /** `?…` or "". */
  search: string;
}

const PREFIX = "/p/";

/** `/p/openai/files?limit=2` → provider `openai`, rest `/files`, search `?limit=2`; null when not under /p/. */
export function splitPassthroughPath(url: string): PassthroughPath | null {
  const { pathname, search } = new URL(url);
  if (!pathname.startsWith(PREFIX)) return null;
  const after = pathname.slice(PREFIX.length);
  const slash = after.indexOf("/");
  const provider = slash < 0 ? after : after.slice(0, slash);
  return { provider: safeDecode(provider) ?? provider, rest: slash < 0 ? "" : after.slice(slash), search };
}

const refused = (message: string): GatewayError =>
  new GatewayError({ kind: "invalid_request", status: 400, message, code: "invalid_path" });

/**
 * The upstream URL: the provider's base URL, the rest of the path as sent (encoding kept), the
 * query. A path that could leave the base URL is refused: any `.` or `..` segment, raw or
 * percent-encoded (`%2e%2e`), a backslash, or an encoded `/` or `\` that a server might decode
 * into a separator. The result is checked to still lie under the base URL.
 */
export function toUpstreamUrl(provider: ResolvedProvider, path: PassthroughPath): string {
  const decoded = safeDecode(path.rest);
  if (decoded === null) throw refused("The path is not valid percent-encoding.");
  if (/%2f|%5c/i.test(path.rest) || decoded.includes("\\"))
    throw refused("The path may not contain encoded slashes or backslashes.");
  if (decoded.split("/").some((segment) => segment === "." || segment === ".."))
    throw refused("The path may not contain '.' or '..' segments.");
  const base = new URL(provider.baseUrl);
  const url = new URL(`${provider.baseUrl}${path.rest}${path.search}`);
  const basePath = base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
  const inside = url.pathname === base.pathname || url.pathname.startsWith(basePath);
  if (url.origin !== base.origin || !inside) throw refused("The path leaves the provider's base URL.");
  return url.href;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
