/**
 * OAuth access tokens for a Google service account, as Google's own client libraries get them:
 * a JWT signed with the account's private key (RS256, crypto.subtle) exchanged at the file's
 * `token_uri` (grant type jwt-bearer). The token is cached and refreshed before it expires;
 * concurrent requests share one refresh. Nothing secret (key, JWT, token) appears in an error.
 */
import type { TokenSource } from "../../config/types.ts";
import { GatewayError } from "../../errors/gateway-error.ts";

export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** A token with less than this left is refreshed before use (Google's libraries use a few minutes). */
const REFRESH_MARGIN_MS = 5 * 60_000;
const JWT_LIFETIME_S = 3600;

/** The members of a service-account JSON file the gateway reads. */
export interface ServiceAccount {
  client_email: string;
  private_key: string;
  token_uri: string;
  project_id?: string;
  private_key_id?: string;
}

/** Parses a service-account JSON file's text; the error names the missing member, never a value. */
export function parseServiceAccount(text: string): ServiceAccount {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("is not JSON (expected a service-account key file)");
  }
  const record = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (record.type !== undefined && record.type !== "service_account")
    throw new Error(`is a ${String(record.type)} credential, not a service_account key file`);
  for (const member of ["client_email", "private_key"] as const) {
    if (typeof record[member] !== "string" || record[member] === "")
      throw new Error(`has no ${member} (expected a service-account key file)`);
  }
  return {
    client_email: record.client_email as string,
    private_key: record.private_key as string,
    token_uri:
      typeof record.token_uri === "string" ? record.token_uri : "https://oauth2.googleapis.com/token",
    ...(typeof record.project_id === "string" ? { project_id: record.project_id } : {}),
    ...(typeof record.private_key_id === "string" ? { private_key_id: record.private_key_id } : {}),
  };
}

const base64url = (bytes: Uint8Array | string): string =>
  Buffer.from(bytes).toString("base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(body, "base64"));
}

/** The signed JWT assertion for one token request. */
export async function signServiceAccountJwt(
  account: ServiceAccount,
  key: CryptoKey,
  nowSeconds: number,
): Promise<string> {
  const header = {
    alg: "RS256",
    typ: "JWT",
    ...(account.private_key_id ? { kid: account.private_key_id } : {}),
  };
  const claims = {
    iss: account.client_email,
    scope: CLOUD_PLATFORM_SCOPE,
    aud: account.token_uri,
    iat: nowSeconds,
    exp: nowSeconds + JWT_LIFETIME_S,
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/** A TokenSource for one service account (one per configured provider, shared by its requests). */
export class ServiceAccountTokenSource implements TokenSource {
  private key: Promise<CryptoKey> | undefined;
  private current: { token: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;

  constructor(
    private readonly account: ServiceAccount,
    private readonly providerName: string,
    private readonly now: () => number = Date.now,
  ) {}

  token(): Promise<string> {
    const current = this.current;
    if (current && current.expiresAt - this.now() > REFRESH_MARGIN_MS) return Promise.resolve(current.token);
    // One refresh at a time: every request waiting for a token shares it.
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  secrets(): string[] {
    return [this.account.private_key, ...(this.current ? [this.current.token] : [])];
  }

  private async refresh(): Promise<string> {
    this.key ??= crypto.subtle.importKey(
      "pkcs8",
      pemToDer(this.account.private_key),
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["sign"],
    );
    let key: CryptoKey;
    try {
      key = await this.key;
    } catch {
      this.key = undefined;
      throw this.failure("its service account's private_key cannot be read");
    }
    const assertion = await signServiceAccountJwt(this.account, key, Math.floor(this.now() / 1000));
    let response: Response;
    try {
      response = await fetch(this.account.token_uri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      throw this.failure("the token endpoint could not be reached");
    }
    const json = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    if (!response.ok || typeof json.access_token !== "string") {
      const reason = typeof json.error === "string" && /^[a-z_]+$/.test(json.error) ? ` (${json.error})` : "";
      throw this.failure(`the token endpoint answered HTTP ${response.status}${reason}`);
    }
    const expiresIn = typeof json.expires_in === "number" ? json.expires_in : 3600;
    this.current = { token: json.access_token, expiresAt: this.now() + expiresIn * 1000 };
    return json.access_token;
  }

  private failure(reason: string): GatewayError {
    return new GatewayError({
      kind: "api_error",
      status: 502,
      message: `Provider '${this.providerName}' could not get an access token: ${reason}.`,
      code: "upstream_auth_failed",
    });
  }
}
