import { retryingOnce } from "../../async/retrying-once.ts";
import { requestIdOf } from "../../gateway/handle-generation.ts";
import type { GatewayRuntime } from "../../gateway/runtime.ts";
import { EMBEDDED_CONSOLE_BUNDLE } from "./embedded-bundle.ts";

export const CONSOLE_PATH = "/console";
export const CONSOLE_SCRIPT_PATH = "/console/app.js";

// Read (or, from source, built) on the first visit, never at start-up: an idle gateway holds none of it.
let bundleGzip: Promise<Uint8Array> | undefined;

const consoleBundle = retryingOnce(() =>
  EMBEDDED_CONSOLE_BUNDLE
    ? Bun.file(EMBEDDED_CONSOLE_BUNDLE).text()
    : import("./bundle-console.ts").then(({ bundleConsole }) => bundleConsole()),
);

function gzippedBundle(): Promise<Uint8Array> {
  bundleGzip ??= Promise.all([consoleBundle(), import("node:zlib")]).then(
    ([text, { gzip }]) =>
      new Promise<Uint8Array>((resolve, reject) => {
        gzip(text, { level: 6 }, (error, compressed) => (error ? reject(error) : resolve(compressed)));
      }),
  );
  return bundleGzip;
}

// Only what the gateway itself serves: a page that tried to load anything else would fail here.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function consoleHtml(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Switchboard console</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="app"><noscript>The Switchboard console needs JavaScript.</noscript></div>
<script type="module" src="${CONSOLE_SCRIPT_PATH}?v=${escapeHtml(encodeURIComponent(version))}"></script>
</body>
</html>
`;
}

const notFound = () => null;

/**
 * GET /console: the page shell (no key needed: it holds nothing; the sign-in form inside asks for
 * the master key, which the page sends to /admin/… as a Bearer header). Null when the console is
 * off, so the caller answers 404 like any unknown route.
 */
export function handleConsolePage(request: Request, runtime: GatewayRuntime): Response | null {
  if (!runtime.config.server.console) return notFound();
  return new Response(consoleHtml(runtime.version), {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-request-id": requestIdOf(request),
    },
  });
}

/** GET /console/app.js: the bundle, gzip-compressed once when the client accepts it. */
export async function handleConsoleScript(
  request: Request,
  runtime: GatewayRuntime,
): Promise<Response | null> {
  if (!runtime.config.server.console) return notFound();
  const headers: Record<string, string> = {
    "content-type": "text/javascript; charset=utf-8",
    // The page asks for `?v=<gateway version>`: an upgrade gets a fresh bundle.
    "cache-control": "public, max-age=604800, immutable",
    vary: "accept-encoding",
    "x-content-type-options": "nosniff",
    "x-request-id": requestIdOf(request),
  };
  if ((request.headers.get("accept-encoding") ?? "").includes("gzip")) {
    try {
      return new Response(await gzippedBundle(), { headers: { ...headers, "content-encoding": "gzip" } });
    } catch {
      bundleGzip = undefined;
    }
  }
  return new Response(await consoleBundle(), { headers });
}
