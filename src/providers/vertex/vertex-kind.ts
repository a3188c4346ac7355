/**
 * Google Vertex AI (`type: vertex`). Gemini models through the Gemini codec on Vertex's paths
 * (`/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`),
 * Claude models through the Anthropic codec on `:rawPredict` / `:streamRawPredict`, with
 * `anthropic_version: vertex-2023-10-16` in the body and no `model`. Credentials: a service
 * account's OAuth token (service-account-token.ts), an API key (Vertex express mode), or, with
 * neither, the metadata server's token (metadata-server-token.ts: GCE, GKE, Cloud Run).
 */
import { readFileSync } from "node:fs";
import type { ResolvedProvider } from "../../config/types.ts";
import { SSEDeframer } from "../../sse/sse-deframer.ts";
import { tokenSourceKey } from "../cached-token-source.ts";
import type { ProviderKind } from "../provider-kinds.ts";
import type { ProviderWire } from "../provider-wire.ts";
import type { WireRoute } from "../transport.ts";
import { MetadataServerTokenSource, metadataServerUrl } from "./metadata-server-token.ts";
import {
  parseServiceAccount,
  type ServiceAccount,
  ServiceAccountTokenSource,
} from "./service-account-token.ts";

export const VERTEX_ANTHROPIC_VERSION = "vertex-2023-10-16";
/** `credentials: metadata`: the metadata server's token even when GOOGLE_APPLICATION_CREDENTIALS is set. */
const METADATA_CREDENTIALS = "metadata";
const DEFAULT_LOCATION = "global";

/** Vertex's host for a location: `global` has no region prefix. */
export function vertexBaseUrl(location: string): string {
  return location === "global"
    ? "https://aiplatform.googleapis.com"
    : `https://${location}-aiplatform.googleapis.com`;
}

/** Claude models (`claude-sonnet-4-5@20250929`) are Anthropic's publisher; the rest Google's. */
function vertexWireOf(_provider: ResolvedProvider, model: string): ProviderWire {
  return model.startsWith("claude-") ? "anthropic" : "gemini";
}

/**
 * A publisher model's method on the provider's base URL (its location's host, or `base_url`):
 * `{base}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}`.
 */
export function vertexModelUrl(
  provider: ResolvedProvider,
  publisher: "google" | "anthropic",
  model: string,
  method: string,
): string {
  const { project, location } = provider.vertex ?? { project: "", location: DEFAULT_LOCATION };
  const id = encodeURIComponent(model.replace(/^models\//, "").toWellFormed());
  return `${provider.baseUrl}/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/publishers/${publisher}/models/${id}:${method}`;
}

function vertexUrl(provider: ResolvedProvider, route: WireRoute): string {
  if (route.wire === "anthropic")
    return vertexModelUrl(
      provider,
      "anthropic",
      route.model,
      route.stream ? "streamRawPredict" : "rawPredict",
    );
  return vertexModelUrl(
    provider,
    "google",
    route.model,
    route.stream ? "streamGenerateContent?alt=sse" : "generateContent",
  );
}

function readServiceAccount(path: string): ServiceAccount {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`cannot be read (${typeof code === "string" ? code : "error"})`);
  }
  return parseServiceAccount(text);
}

export const vertexKind: ProviderKind = {
  wireOf: vertexWireOf,
  transport: {
    url: vertexUrl,
    adaptBody(body, _provider, route) {
      if (route.wire !== "anthropic") return body;
      const { model: _model, ...rest } = body;
      return { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest };
    },
    async authorize(call, { key }) {
      if (key?.tokenSource) call.headers.authorization = `Bearer ${await key.tokenSource.token()}`;
      else if (key?.secret) call.headers["x-goog-api-key"] = key.secret;
    },
    framing: "sse",
    createDeframer: () => new SSEDeframer(),
  },
  settings: ["project", "location", "credentials"],
  defaultBaseUrl: (raw, env) => vertexBaseUrl(raw.location ?? env.GOOGLE_CLOUD_LOCATION ?? DEFAULT_LOCATION),
  configure(provider, { raw, env, problems, path }) {
    const location = raw.location ?? env.GOOGLE_CLOUD_LOCATION ?? DEFAULT_LOCATION;
    let account: ServiceAccount | undefined;
    if (provider.keys.length === 0) {
      const file = raw.credentials ?? env.GOOGLE_APPLICATION_CREDENTIALS;
      if (!file || file === METADATA_CREDENTIALS) {
        // Google's client libraries' order: a key file, else the metadata server (checked on first use).
        const source = new MetadataServerTokenSource(metadataServerUrl(env), provider.name, !file);
        provider.keys = [tokenSourceKey(source)];
      } else {
        try {
          account = readServiceAccount(file);
        } catch (error) {
          // The message names what is wrong with the file, never its contents.
          problems.add([...path, "credentials"], (error as Error).message);
          return false;
        }
        provider.keys = [tokenSourceKey(new ServiceAccountTokenSource(account, provider.name))];
      }
    } else if (raw.credentials !== undefined) {
      problems.add([...path, "credentials"], "set either api_key or credentials, not both");
      return false;
    }
    const project = raw.project ?? env.GOOGLE_CLOUD_PROJECT ?? account?.project_id;
    if (!project) {
      problems.add(
        [...path, "project"],
        "is required: the Google Cloud project id (or set GOOGLE_CLOUD_PROJECT, or use a credentials file that names it)",
      );
      return false;
    }
    provider.vertex = { project, location };
    return true;
  },
  describe(provider) {
    const key = provider.keys[0];
    const credentials = key?.tokenSource ? key.tokenSource.describe() : key ? "API key" : "none";
    return provider.vertex
      ? [
          `project: ${provider.vertex.project}, location: ${provider.vertex.location}`,
          `credentials: ${credentials}`,
        ]
      : [];
  },
  fromEnv(env, timeoutMs) {
    const file = env.GOOGLE_APPLICATION_CREDENTIALS;
    if (!file) return undefined;
    let account: ServiceAccount;
    try {
      account = readServiceAccount(file);
    } catch {
      return undefined;
    }
    const project = env.GOOGLE_CLOUD_PROJECT ?? account.project_id;
    if (!project) return undefined;
    const location = env.GOOGLE_CLOUD_LOCATION ?? DEFAULT_LOCATION;
    return {
      name: "vertex",
      type: "vertex",
      baseUrl: vertexBaseUrl(location),
      keys: [tokenSourceKey(new ServiceAccountTokenSource(account, "vertex"))],
      models: [],
      modelPrefixes: [],
      timeoutMs,
      headers: {},
      vertex: { project, location },
    };
  },
};
