import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
// Embedded as a file so `bun build --compile` puts the Scalar UI in the binary (the docs page must
// work with no network; the plugin's default loads an unpinned bundle from a public CDN), and
// read only when the page is first opened: ~4 MB that an API-only gateway never holds in memory.
// The package's export map hides dist/, hence the path through node_modules; TypeScript has no
// declaration for a bundle imported with `type: "file"`, Bun makes it a path.
// @ts-expect-error TS7016: no types for a JS file imported with `type: "file"`
import scalarBundlePath from "../../node_modules/@scalar/api-reference/dist/browser/standalone.js" with {
  type: "file",
};

export interface DocsOptions {
  /** Shown in the page header and in the OpenAPI document's `info.version`. */
  version: string;
}

export const DOCS_PATH = "/docs";
export const DOCS_SPEC_PATH = "/docs/json";
export const DOCS_SCALAR_PATH = "/docs/scalar.js";

let scalarBundleText: Promise<string> | undefined;
const scalarBundle = (): Promise<string> => (scalarBundleText ??= Bun.file(String(scalarBundlePath)).text());
let scalarBundleGzip: Promise<Uint8Array> | undefined;

// ~4 MB of JS: compressed once, on first use (not at start-up), and with node:zlib's async gzip,
// which runs off the event loop (Bun.gzipSync would stall every request for ~150 ms).
function gzippedScalarBundle(): Promise<Uint8Array> {
  // node:zlib is loaded with the page's first visit, not at start-up.
  scalarBundleGzip ??= Promise.all([scalarBundle(), import("node:zlib")]).then(
    ([text, { gzip }]) =>
      new Promise<Uint8Array>((resolve, reject) => {
        gzip(text, { level: 6 }, (error, compressed) => (error ? reject(error) : resolve(compressed)));
      }),
  );
  return scalarBundleGzip;
}

async function serveScalarBundle(request: Request): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "text/javascript; charset=utf-8",
    // The page asks for `?v=<gateway version>`: an upgrade gets a fresh bundle, a reload a cached one.
    "cache-control": "public, max-age=604800, immutable",
    vary: "accept-encoding",
  };
  if ((request.headers.get("accept-encoding") ?? "").includes("gzip")) {
    try {
      const compressed = await gzippedScalarBundle();
      return new Response(compressed, { headers: { ...headers, "content-encoding": "gzip" } });
    } catch {
      // Compression failing is no reason to fail the page: retry next time, send it plain now.
      scalarBundleGzip = undefined;
    }
  }
  return new Response(await scalarBundle(), { headers });
}

// No apostrophes or double quotes: the plugin splices these into HTML attributes unescaped.
const DESCRIPTION = [
  "Switchboard is an LLM gateway. Clients speak the OpenAI Chat Completions API or the Anthropic",
  "Messages API; each call is routed to a configured provider and translated when the protocols differ.",
  "Authenticate with Authorization: Bearer KEY or x-api-key: KEY (not needed for /health, /ready, /docs).",
].join(" ");

type ScalarConfig = NonNullable<NonNullable<Parameters<typeof openapi>[0]>["scalar"]>;

// Cast: the plugin types this option as Scalar's fully-defaulted config (every key required), and
// its @scalar/types predates `agent`, which the bundled Scalar 1.72 reads.
const scalarConfig = (version: string) =>
  ({
    // Absolute so that `/docs/` (trailing slash) loads the same document as `/docs`.
    url: DOCS_SPEC_PATH,
    cdn: `${DOCS_SCALAR_PATH}?v=${encodeURIComponent(version)}`,
    // A handful of operations: show every tag group open rather than only the first (OpenAI).
    defaultOpenAllTags: true,
    // Everything that would reach the internet from the page: web fonts, telemetry, the AI agent,
    // the MCP generator and the developer toolbar (its Share/Deploy buttons go to scalar.com).
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: "never",
  }) as unknown as ScalarConfig;

/**
 * `/docs` (the Scalar API reference page), `/docs/json` (the OpenAPI 3.1 document generated from
 * every route registered on the app with a schema) and `/docs/scalar.js` (the embedded UI bundle).
 * None of them needs a key; none of them appears in the document.
 */
export function docsPlugin(options: DocsOptions) {
  return new Elysia({ name: "switchboard/docs" })
    .get(DOCS_SCALAR_PATH, ({ request }) => serveScalarBundle(request), { detail: { hide: true } })
    .use(
      openapi({
        path: DOCS_PATH,
        specPath: DOCS_SPEC_PATH,
        provider: "scalar",
        exclude: { paths: [/^\/docs(\/|$)/] },
        documentation: {
          info: { title: "Switchboard", version: options.version, description: DESCRIPTION },
          components: {
            securitySchemes: {
              bearer: { type: "http", scheme: "bearer" },
              apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
            },
          },
          security: [{ bearer: [] }, { apiKey: [] }],
        },
        scalar: scalarConfig(options.version),
      }),
    );
}
