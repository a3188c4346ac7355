/**
 * Azure OpenAI / Azure AI Foundry (`type: azure`). The resource endpoint is the base URL; a model
 * name maps to a deployment (`deployments:`, else the model name itself). With `api_version` the
 * deployment API is called (`/openai/deployments/{deployment}/chat/completions?api-version=…`,
 * Responses on `/openai/responses?api-version=…`); without it the v1 API (`/openai/v1/…`, the
 * deployment as `model`). The OpenAI codecs (Chat Completions, Responses) are reused as they are.
 */
import type { ResolvedProvider } from "../../config/types.ts";
import { SSEDeframer } from "../../sse/sse-deframer.ts";
import { openAIWireOf } from "../openai-wire-of.ts";
import type { ProviderKind } from "../provider-kinds.ts";
import type { WireRoute } from "../transport.ts";

/** Model name → deployment name: the configured mapping, else the model name. */
export function azureDeploymentOf(provider: ResolvedProvider, model: string): string {
  return provider.azure?.deployments[model] ?? model;
}

/** The resource endpoint without the API's own suffix (`…/openai`, `…/openai/v1` are accepted as base URLs). */
function resourceOf(baseUrl: string): string {
  return baseUrl.replace(/\/openai(\/v1)?$/, "");
}

function azureUrl(provider: ResolvedProvider, route: WireRoute): string {
  const resource = resourceOf(provider.baseUrl);
  const apiVersion = provider.azure?.apiVersion;
  if (apiVersion === undefined) return `${resource}/openai/v1${route.path}`;
  const query = `?api-version=${encodeURIComponent(apiVersion)}`;
  if (route.wire === "openai_responses") return `${resource}/openai/responses${query}`;
  const deployment = encodeURIComponent(azureDeploymentOf(provider, route.model).toWellFormed());
  return `${resource}/openai/deployments/${deployment}${route.path}${query}`;
}

export const azureKind: ProviderKind = {
  wireOf: openAIWireOf,
  transport: {
    url: azureUrl,
    adaptBody: (body, provider, route) => ({ ...body, model: azureDeploymentOf(provider, route.model) }),
    async authorize(call, { provider, key }) {
      if (!key?.secret) return;
      if (provider.azure?.auth === "bearer") call.headers.authorization = `Bearer ${key.secret}`;
      else call.headers["api-key"] = key.secret;
    },
    framing: "sse",
    createDeframer: () => new SSEDeframer(),
  },
  settings: ["api_version", "deployments", "auth"],
  configure(provider, { raw }) {
    provider.azure = {
      deployments: { ...(raw.deployments ?? {}) },
      auth: raw.auth ?? "api-key",
      ...(raw.api_version !== undefined ? { apiVersion: raw.api_version } : {}),
    };
    return true;
  },
  describe(provider) {
    const azure = provider.azure;
    if (!azure) return [];
    const deployments = Object.entries(azure.deployments).map(
      ([model, deployment]) => `${model} → ${deployment}`,
    );
    return [
      `api: ${azure.apiVersion ? `deployment API, api-version ${azure.apiVersion}` : "v1 (/openai/v1)"}`,
      `auth: ${azure.auth === "bearer" ? "Entra bearer token" : "api-key header"}`,
      ...(deployments.length ? [`deployments: ${deployments.join(", ")}`] : []),
    ];
  },
  fromEnv(env, timeoutMs) {
    const endpoint = env.AZURE_OPENAI_ENDPOINT;
    const key = env.AZURE_API_KEY ?? env.AZURE_OPENAI_API_KEY;
    if (!endpoint || !key) return undefined;
    const apiVersion = env.AZURE_API_VERSION ?? env.OPENAI_API_VERSION;
    return {
      name: "azure",
      type: "azure",
      baseUrl: endpoint.trim().replace(/\/+$/, ""),
      keys: [{ label: "key-1", secret: key, weight: 1 }],
      models: [],
      modelPrefixes: [],
      timeoutMs,
      headers: {},
      azure: { deployments: {}, auth: "api-key", ...(apiVersion ? { apiVersion } : {}) },
    };
  },
};
