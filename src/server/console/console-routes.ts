import { requestIdOf } from "../../gateway/handle-generation.ts";
import type { GatewayRuntime } from "../../gateway/runtime.ts";
import { builtAsset, fileAsset, type StaticAsset, serveAsset } from "../static-asset.ts";
import { EMBEDDED_CONSOLE_BUNDLE, EMBEDDED_CONSOLE_BUNDLE_GZIP } from "./embedded-bundle.ts";

export const CONSOLE_PATH = "/console";
export const CONSOLE_SCRIPT_PATH = "/console/app.js";

// In the binary, read from the executable by each request (the gzip copy made at build time);
// from source, built on the first visit and kept. An idle gateway holds none of it.
const consoleBundle: StaticAsset = EMBEDDED_CONSOLE_BUNDLE
  ? fileAsset(EMBEDDED_CONSOLE_BUNDLE, EMBEDDED_CONSOLE_BUNDLE_GZIP)
  : builtAsset(() => import("./bundle-console.ts").then(({ bundleConsole }) => bundleConsole()));

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

/** GET /console/app.js: the bundle, gzip-compressed when the client accepts it. */
export async function handleConsoleScript(
  request: Request,
  runtime: GatewayRuntime,
): Promise<Response | null> {
  if (!runtime.config.server.console) return notFound();
  return serveAsset(request, consoleBundle, {
    "content-type": "text/javascript; charset=utf-8",
    // The page asks for `?v=<gateway version>`: an upgrade gets a fresh bundle.
    "cache-control": "public, max-age=604800, immutable",
    "x-content-type-options": "nosniff",
    "x-request-id": requestIdOf(request),
  });
}
