/**
 * Azure OpenAI / Azure AI Foundry (`type: azure`). The resource endpoint is the base URL; a model
 * name maps to a deployment (`deployments:`, else the model name itself). With `api_version` the
 * deployment API is called (`/openai/deployments/{deployment}/chat/completions?api-version=…`,
 * Responses on `/openai/responses?api-version=…`); without it the v1 API (`/openai/v1/…`, the
 * deployment as `model`). The OpenAI codecs (Chat Completions, Responses) are reused as they are.
 * Credentials: the resource's key (`api-key`, or a static Entra token as bearer), or Entra ID
 * client credentials exchanged for tokens (entra-token.ts).
 */
import type { Env } from "../../config/expand-env.ts";
import type { ProblemList } from "../../config/problem-list.ts";
import type { RawProvider } from "../../config/schema.ts";
import type { ResolvedProvider } from "../../config/types.ts";
import { SSEDeframer } from "../../sse/sse-deframer.ts";
import { tokenSourceKey } from "../cached-token-source.ts";
import { openAIWireOf } from "../openai-wire-of.ts";
import type { ProviderKind } from "../provider-kinds.ts";
import type { WireRoute } from "../transport.ts";
import {
  authorityHostOf,
  type EntraClientCredentials,
  EntraTokenSource,
  isAuthorityHostUrl,
} from "./entra-token.ts";

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

const ENTRA_FIELDS = [
  ["tenant_id", "AZURE_TENANT_ID"],
  ["client_id", "AZURE_CLIENT_ID"],
  ["client_secret", "AZURE_CLIENT_SECRET"],
] as const;

/**
 * Entra ID client credentials from the entry (each field else its AZURE_* variable, as Azure's
 * EnvironmentCredential reads them); undefined when none is given, "invalid" when some are
 * missing or the authority host is not a URL (reported, never with a value).
 */
function entraCredentials(
  raw: RawProvider,
  env: Env,
  problems: ProblemList,
  path: string[],
): EntraClientCredentials | "invalid" | undefined {
  const values = ENTRA_FIELDS.map(([field, variable]) => raw[field] || env[variable] || "");
  const inFile = ENTRA_FIELDS.some(([field]) => raw[field]);
  // Without any field in the file, the variables count only all together (a stray AZURE_CLIENT_ID is not an intent).
  if (!inFile && values.some((value) => !value)) return undefined;
  let valid = true;
  ENTRA_FIELDS.forEach(([field, variable], i) => {
    if (values[i]) return;
    problems.add(
      [...path, field],
      `is required with Entra ID client credentials (tenant_id, client_id, client_secret; or set ${variable})`,
    );
    valid = false;
  });
  const authorityHost = authorityHostOf(raw.authority_host, env);
  if (!isAuthorityHostUrl(authorityHost)) {
    problems.add(
      [...path, "authority_host"],
      raw.authority_host === undefined
        ? "AZURE_AUTHORITY_HOST must be a URL with only a host (https://login.microsoftonline.com)"
        : "must be a URL with only a host (https://login.microsoftonline.com)",
    );
    valid = false;
  }
  if (!valid) return "invalid";
  const [tenantId = "", clientId = "", clientSecret = ""] = values;
  return { tenantId, clientId, clientSecret, authorityHost };
}

export const azureKind: ProviderKind = {
  wireOf: openAIWireOf,
  transport: {
    url: azureUrl,
    adaptBody: (body, provider, route) => ({ ...body, model: azureDeploymentOf(provider, route.model) }),
    async authorize(call, { provider, key }) {
      if (key?.tokenSource) {
        call.headers.authorization = `Bearer ${await key.tokenSource.token()}`;
        return;
      }
      if (!key?.secret) return;
      if (provider.azure?.auth === "bearer") call.headers.authorization = `Bearer ${key.secret}`;
      else call.headers["api-key"] = key.secret;
    },
    framing: "sse",
    createDeframer: () => new SSEDeframer(),
  },
  settings: [
    "api_version",
    "deployments",
    "auth",
    "tenant_id",
    "client_id",
    "client_secret",
    "authority_host",
  ],
  configure(provider, { raw, env, problems, path }) {
    const hasKey = provider.keys.length > 0 || raw.keys !== undefined;
    const entraInFile = raw.tenant_id || raw.client_id || raw.client_secret;
    if (hasKey && entraInFile) {
      problems.add(
        path,
        "set either api_key (or keys) or tenant_id, client_id and client_secret, not both",
        true,
      );
      return false;
    }
    const entra = hasKey ? undefined : entraCredentials(raw, env, problems, path);
    if (entra === "invalid") return false;
    if (entra) {
      if (raw.auth === "api-key") {
        problems.add(
          [...path, "auth"],
          "Entra ID client credentials are sent as a bearer token, not api-key",
        );
        return false;
      }
      provider.keys = [tokenSourceKey(new EntraTokenSource(entra, provider.name))];
    }
    provider.azure = {
      deployments: { ...(raw.deployments ?? {}) },
      auth: entra ? "bearer" : (raw.auth ?? "api-key"),
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
      `auth: ${
        provider.keys[0]?.tokenSource
          ? provider.keys[0].tokenSource.describe()
          : azure.auth === "bearer"
            ? "Entra bearer token"
            : "api-key header"
      }`,
      ...(deployments.length ? [`deployments: ${deployments.join(", ")}`] : []),
    ];
  },
  fromEnv(env, timeoutMs) {
    const endpoint = env.AZURE_OPENAI_ENDPOINT;
    if (!endpoint) return undefined;
    const key = env.AZURE_API_KEY || env.AZURE_OPENAI_API_KEY;
    // No key: Entra ID client credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET.
    const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: clientSecret } = env;
    const authorityHost = authorityHostOf(undefined, env);
    const entra =
      !key && tenantId && clientId && clientSecret && isAuthorityHostUrl(authorityHost)
        ? { tenantId, clientId, clientSecret, authorityHost }
        : undefined;
    if (!key && !entra) return undefined;
    const apiVersion = env.AZURE_API_VERSION ?? env.OPENAI_API_VERSION;
    return {
      name: "azure",
      type: "azure",
      baseUrl: endpoint.trim().replace(/\/+$/, ""),
      keys: entra
        ? [tokenSourceKey(new EntraTokenSource(entra, "azure"))]
        : [{ label: "key-1", secret: key ?? "", weight: 1 }],
      models: [],
      modelPrefixes: [],
      timeoutMs,
      headers: {},
      azure: { deployments: {}, auth: entra ? "bearer" : "api-key", ...(apiVersion ? { apiVersion } : {}) },
    };
  },
};
