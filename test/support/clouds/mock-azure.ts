/**
 * A loopback Azure OpenAI resource: requires the resource's `api-key` (or an Entra bearer token)
 * and, on the deployment API, the `api-version` query parameter, as Azure does (401 / 404
 * otherwise, in Azure's error shape); accepted requests are answered by the mock provider.
 *
 * With `entra`, the same server is also the Entra ID authority (`authority_host` / AZURE_AUTHORITY_HOST
 * = its url): `POST /{tenant}/oauth2/v2.0/token` checks the client-credentials form (grant_type,
 * client_id, client_secret, scope) and issues opaque tokens that expire after
 * `tokenLifetimeSeconds`; the resource then accepts `Authorization: Bearer` with an issued,
 * unexpired token. Refusals are Entra's (`invalid_client` AADSTS7000215 for a wrong secret, …);
 * this mock echoes the submitted secret in `error_description`, so a leak would show.
 */
import type { MockUpstream } from "../mock-upstream.ts";
import { type Gate, type GateRequest, startGate } from "./mock-gate.ts";

export interface MockEntraOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface MockAzureOptions {
  upstream: MockUpstream;
  apiKey: string;
  /** Accept `Authorization: Bearer <token>` instead of the key. */
  bearerToken?: string;
  /** Be the Entra ID authority for this app registration too. */
  entra?: MockEntraOptions;
}

export interface MockAzure extends Gate {
  /** Entra token requests received (valid or not). */
  tokenRequests: number;
  /** The forms of those requests, in order. */
  tokenForms: URLSearchParams[];
  /** Tokens issued, in order. */
  issued: string[];
  /** Lifetime of the tokens issued from now on. */
  tokenLifetimeSeconds: number;
}

export const COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

export async function startMockAzure(options: MockAzureOptions): Promise<MockAzure> {
  const tokens = new Map<string, number>();
  let counter = 0;

  function issueToken(request: GateRequest, tenant: string): Response {
    state.tokenRequests++;
    const form = new URLSearchParams(new TextDecoder().decode(request.body));
    state.tokenForms.push(form);
    const entra = options.entra!;
    const refuse = (status: number, error: string, description: string) =>
      Response.json(
        { error, error_description: description, error_codes: [Number(/\d+/.exec(description)?.[0])] },
        { status },
      );
    if (request.method !== "POST") return new Response(null, { status: 405 });
    if (!request.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded"))
      return refuse(
        400,
        "invalid_request",
        "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
      );
    if (decodeURIComponent(tenant) !== entra.tenantId)
      return refuse(400, "invalid_request", `AADSTS90002: Tenant '${tenant}' not found.`);
    if (form.get("grant_type") !== "client_credentials")
      return refuse(
        400,
        "unsupported_grant_type",
        "AADSTS70003: The app requested an unsupported grant type.",
      );
    if (form.get("client_id") !== entra.clientId)
      return refuse(
        400,
        "unauthorized_client",
        `AADSTS700016: Application with identifier '${form.get("client_id")}' was not found.`,
      );
    if (form.get("scope") !== COGNITIVE_SERVICES_SCOPE)
      return refuse(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.");
    if (form.get("client_secret") !== entra.clientSecret)
      return refuse(
        401,
        "invalid_client",
        `AADSTS7000215: Invalid client secret provided ('${form.get("client_secret")}'). Ensure the secret being sent in the request is the client secret value.`,
      );
    const token = `eyJ0eXAi.entra-${++counter}-${crypto.randomUUID()}`;
    tokens.set(token, Date.now() + state.tokenLifetimeSeconds * 1000);
    state.issued.push(token);
    return Response.json({
      token_type: "Bearer",
      expires_in: state.tokenLifetimeSeconds,
      ext_expires_in: state.tokenLifetimeSeconds,
      access_token: token,
    });
  }

  const gate = await startGate({
    upstream: options.upstream,
    handle(request) {
      const match = options.entra ? TOKEN_PATH.exec(request.url.pathname) : null;
      return match ? issueToken(request, match[1]!) : undefined;
    },
    check({ url, headers }) {
      const key = headers.get("api-key");
      const bearer = headers.get("authorization");
      const keyOk = key === options.apiKey;
      const bearerToken = bearer?.replace(/^Bearer /, "") ?? "";
      const bearerOk =
        (options.bearerToken !== undefined && bearerToken === options.bearerToken) ||
        (tokens.get(bearerToken) ?? 0) > Date.now();
      if (!keyOk && !bearerOk)
        return {
          status: 401,
          body: {
            error: {
              code: "401",
              message:
                "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
            },
          },
        };
      const deploymentApi = /^\/openai\/(deployments\/[^/]+\/|responses$)/.test(url.pathname);
      const v1Api = url.pathname.startsWith("/openai/v1/");
      if (!deploymentApi && !v1Api)
        return { status: 404, body: { error: { code: "404", message: "Resource not found" } } };
      if (deploymentApi && !url.searchParams.get("api-version"))
        return {
          status: 404,
          body: { error: { code: "404", message: "Resource not found" } },
        };
      return undefined;
    },
  });
  const state: MockAzure = Object.assign(gate, {
    tokenRequests: 0,
    tokenForms: [] as URLSearchParams[],
    issued: [] as string[],
    tokenLifetimeSeconds: 3599,
  });
  return state;
}
