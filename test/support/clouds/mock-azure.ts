/**
 * A loopback Azure OpenAI resource: requires the resource's `api-key` (or an Entra bearer token)
 * and, on the deployment API, the `api-version` query parameter, as Azure does (401 / 404
 * otherwise, in Azure's error shape); accepted requests are answered by the mock provider.
 */
import type { MockUpstream } from "../mock-upstream.ts";
import { type Gate, startGate } from "./mock-gate.ts";

export interface MockAzureOptions {
  upstream: MockUpstream;
  apiKey: string;
  /** Accept `Authorization: Bearer <token>` instead of the key. */
  bearerToken?: string;
}

export function startMockAzure(options: MockAzureOptions): Promise<Gate> {
  return startGate({
    upstream: options.upstream,
    check({ url, headers }) {
      const key = headers.get("api-key");
      const bearer = headers.get("authorization");
      const keyOk = key === options.apiKey;
      const bearerOk = options.bearerToken !== undefined && bearer === `Bearer ${options.bearerToken}`;
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
}
