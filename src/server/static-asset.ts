/**
 * A script the gateway serves to browsers (the docs page's Scalar bundle, the console's bundle),
 * as a file and as a gzip-compressed copy of it.
 *
 * In the compiled binary both are files embedded by scripts/build.ts (the copy compressed at build
 * time) and are read from the executable by each request: the gateway keeps neither. Kept, a
 * visit to /docs left the process ~18 MB larger for good (the 4.3 MB bundle as a string, its gzip
 * copy, node:zlib; docs/performance.md, "What a page visit leaves behind"). Run from source there
 * is no compressed copy: it is made once, with node:zlib's async gzip (off the event loop), and
 * kept, which only development and the tests see.
 */
import { retryingOnce } from "../async/retrying-once.ts";

export interface StaticAsset {
  /** The script as it is. */
  plain(): Promise<Blob | string>;
  /** Its gzip-compressed copy. */
  gzip(): Promise<Blob | Uint8Array>;
}

/**
 * An asset from a file: `gzipPath` is the compressed copy scripts/build.ts embeds (null from
 * source, where it is compressed once on first use).
 */
export function fileAsset(path: string, gzipPath: string | null): StaticAsset {
  const plain = () => Promise.resolve(Bun.file(path));
  return {
    plain,
    gzip: gzipPath
      ? () => Promise.resolve(Bun.file(gzipPath))
      : retryingOnce(async () => compress(await Bun.file(path).bytes())),
  };
}

/** An asset built from source on first use (the console's bundle when run from source), kept. */
export function builtAsset(build: () => Promise<string>): StaticAsset {
  const plain = retryingOnce(build);
  return { plain, gzip: retryingOnce(async () => compress(await plain())) };
}

/** `headers` plus the body: the compressed copy when the client accepts gzip (if it can be had). */
export async function serveAsset(
  request: Request,
  asset: StaticAsset,
  headers: Record<string, string>,
): Promise<Response> {
  const varied = { ...headers, vary: "accept-encoding" };
  if (acceptsGzip(request.headers.get("accept-encoding"))) {
    try {
      return new Response(await asset.gzip(), { headers: { ...varied, "content-encoding": "gzip" } });
    } catch {
      // Compression failing is no reason to fail the page: send it plain (retried next time).
    }
  }
  return new Response(await asset.plain(), { headers: varied });
}

/** Whether an `Accept-Encoding` value allows gzip: `gzip` or `*`, with no `q=0` (RFC 9110, 12.5.3). */
export function acceptsGzip(header: string | null): boolean {
  if (!header) return false;
  let wildcard: boolean | undefined;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    if (name !== "gzip" && name !== "*") continue;
    const q = params.find((param) => param.startsWith("q="));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    // An explicit gzip entry wins over the wildcard's.
    if (name === "gzip") return allowed;
    wildcard = allowed;
  }
  return wildcard ?? false;
}

// node:zlib's async gzip runs off the event loop (Bun.gzipSync would stall every request for
// ~150 ms on the 4 MB bundle); loaded only here, from source.
async function compress(data: string | Uint8Array): Promise<Uint8Array> {
  const { gzip } = await import("node:zlib");
  return new Promise<Uint8Array>((resolve, reject) => {
    gzip(data, { level: 6 }, (error, compressed) => (error ? reject(error) : resolve(compressed)));
  });
}
