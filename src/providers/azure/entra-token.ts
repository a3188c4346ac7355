/**
 * Microsoft Entra ID access tokens for Azure OpenAI by client credentials (an app registration's
 * client secret), as Azure's SDKs get them (ClientSecretCredential / EnvironmentCredential):
 * `POST {authority}/{tenant}/oauth2/v2.0/token`, scope `https://cognitiveservices.azure.com/.default`.
 * Caching, refresh and errors: cached-token-source.ts. The client secret and the token never
 * appear in an error (Entra's `error` and `AADSTS…` codes do: they hold no secret).
 */
import type { Env } from "../../config/expand-env.ts";
import { CachedTokenSource, type IssuedToken } from "../cached-token-source.ts";

const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
const COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";

/** An app registration's client credentials (`tenant_id`, `client_id`, `client_secret`). */
export interface EntraClientCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** `https://login.microsoftonline.com`, a sovereign cloud's, or a test's; no trailing `/`. */
  authorityHost: string;
}

/** The authority host: the config's, else `AZURE_AUTHORITY_HOST` (as Azure's SDKs read it), else the public cloud's. */
/** `https://host` with nothing after the host: what Entra ID's token URL is built on. */
export function isAuthorityHostUrl(host: string): boolean {
  return /^https?:\/\/[^/?#]+$/.test(host);
}

export function authorityHostOf(configured: string | undefined, env: Env): string {
  return (configured ?? (env.AZURE_AUTHORITY_HOST || DEFAULT_AUTHORITY_HOST)).trim().replace(/\/+$/, "");
}

/** A TokenSource for one app registration (one per configured provider, shared by its requests). */
export class EntraTokenSource extends CachedTokenSource {
  constructor(
    private readonly credentials: EntraClientCredentials,
    providerName: string,
    now: () => number = Date.now,
  ) {
    super(providerName, { now });
  }

  describe(): string {
    return `Entra ID client credentials (tenant ${this.credentials.tenantId}, client ${this.credentials.clientId}; token refreshed before expiry)`;
  }

  protected credentialSecrets(): string[] {
    return [this.credentials.clientSecret];
  }

  protected issue(): Promise<IssuedToken> {
    const { tenantId, clientId, clientSecret, authorityHost } = this.credentials;
    return this.requestToken(
      `Entra ID (${authorityHost}, tenant ${tenantId})`,
      `${authorityHost}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: clientId,
          client_secret: clientSecret,
          scope: COGNITIVE_SERVICES_SCOPE,
        }).toString(),
      },
      30_000,
    );
  }
}
