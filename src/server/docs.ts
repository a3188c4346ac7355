import type { openapi } from "@elysiajs/openapi";
import { type AnyElysia, Elysia } from "elysia";
// Embedded as a file so `bun build --compile` puts the Scalar UI in the binary (the docs page must
// work with no network; the plugin's default loads an unpinned bundle from a public CDN), and
// read only when the page is first opened: ~4 MB that an API-only gateway never holds in memory.
// The package's export map hides dist/, hence the path through node_modules; TypeScript has no
// declaration for a bundle imported with `type: "file"`, Bun makes it a path.
// @ts-expect-error TS7016: no types for a JS file imported with `type: "file"`
import scalarBundlePath from "../../node_modules/@scalar/api-reference/dist/browser/standalone.js" with {
  type: "file",
};
import { retryingOnce } from "../async/retrying-once.ts";
import { EMBEDDED_SCALAR_GZIP } from "./embedded-scalar-gzip.ts";
import { fileAsset, serveAsset } from "./static-asset.ts";

export interface DocsOptions {
  /** Shown in the page header and in the OpenAPI document's `info.version`. */
  version: string;
  /** The app whose routes the OpenAPI document describes (read on the first `/docs/json`). */
  app: () => AnyElysia;
  /** The schemas the routes refer to (`#/components/schemas/NAME`), built on the first `/docs/json`. */
  schemas: () => Record<string, object>;
}

export const DOCS_PATH = "/docs";
export const DOCS_SPEC_PATH = "/docs/json";
export const DOCS_SCALAR_PATH = "/docs/scalar.js";

// The bundle and its gzip copy are read from the executable by each request, never kept.
const scalarBundle = fileAsset(String(scalarBundlePath), EMBEDDED_SCALAR_GZIP);

function serveScalarBundle(request: Request): Promise<Response> {
  return serveAsset(request, scalarBundle, {
    "content-type": "text/javascript; charset=utf-8",
    // The page asks for `?v=<gateway version>`: an upgrade gets a fresh bundle, a reload a cached one.
    "cache-control": "public, max-age=604800, immutable",
  });
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

// What @elysiajs/openapi's plugin would be given; the plugin itself is loaded on the first visit.
const OPENAPI_VERSION = "3.1.2";
const EXCLUDE = { paths: [/^\/docs(\/|$)/] };
const documentation = (version: string) => ({
  info: { title: "Switchboard", description: DESCRIPTION, version },
  components: {
    securitySchemes: {
      bearer: { type: "http" as const, scheme: "bearer" },
      apiKey: { type: "apiKey" as const, in: "header" as const, name: "x-api-key" },
    },
  },
  security: [{ bearer: [] }, { apiKey: [] }] as Record<string, string[]>[],
});

/**
 * The page, rendered by the plugin itself: a throwaway instance with the plugin, asked for its
 * page once. The plugin renders its HTML when it is registered, which is why it is not
 * registered on the app at start-up (docs/performance.md, "Footprint").
 */
async function renderPage(version: string): Promise<string> {
  const { openapi: plugin } = await import("@elysiajs/openapi");
  const renderer = new Elysia().use(
    plugin({
      path: DOCS_PATH,
      specPath: DOCS_SPEC_PATH,
      provider: "scalar",
      exclude: EXCLUDE,
      documentation: documentation(version),
      scalar: scalarConfig(version),
    }),
  );
  const page = await renderer.handle(new Request(`http://localhost${DOCS_PATH}`));
  return page.text();
}

/** The OpenAPI document of the app's routes, as the plugin builds it (its `toOpenAPISchema`, then its merge). */
async function buildDocument(
  app: AnyElysia,
  version: string,
  schemas: Record<string, object>,
): Promise<Record<string, unknown>> {
  const { toOpenAPISchema } = await import("@elysiajs/openapi");
  const { paths, components } = toOpenAPISchema(app, EXCLUDE, undefined, undefined, OPENAPI_VERSION);
  const docs = documentation(version);
  return {
    ...docs,
    openapi: OPENAPI_VERSION,
    tags: undefined,
    info: { ...docs.info },
    paths: { ...paths },
    components: { ...docs.components, schemas: { ...components.schemas, ...schemas } },
  };
}

/**
 * `/docs` (the Scalar API reference page), `/docs/json` (the OpenAPI 3.1 document generated from
 * every route registered on the app with a schema) and `/docs/scalar.js` (the embedded UI bundle).
 * None of them needs a key; none of them appears in the document. The OpenAPI plugin, the page and
 * the document are made on the first visit and kept, the document as its JSON text (~110 KB; as
 * objects it held several times that): the routes never change after start.
 */
export function docsPlugin(options: DocsOptions) {
  const pageHtml = retryingOnce(() => renderPage(options.version));
  const openApiDocument = retryingOnce(async () =>
    JSON.stringify(await buildDocument(options.app(), options.version, options.schemas())),
  );
  const hidden = { detail: { hide: true } };
  return new Elysia({ name: "switchboard/docs" })
    .get(DOCS_SCALAR_PATH, ({ request }) => serveScalarBundle(request), hidden)
    .get(
      DOCS_PATH,
      async () =>
        new Response(await pageHtml(), {
          headers: { "content-type": "text/html; charset=utf8" },
        }),
      hidden,
    )
    .get(
      DOCS_SPEC_PATH,
      async () =>
        new Response(await openApiDocument(), {
          headers: { "content-type": "application/json; charset=utf-8" },
        }),
      hidden,
    );
}
