/**
 * OAuth access tokens for a Google service account, as Google's own client libraries get them:
 * a JWT signed with the account's private key (RS256, crypto.subtle) exchanged at the file's
 * `token_uri` (grant type jwt-bearer). Caching, refresh and errors: cached-token-source.ts.
 * Nothing secret (key, JWT, token) appears in an error.
 */
import { CachedTokenSource, type IssuedToken } from "../cached-token-source.ts";

export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
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
export class ServiceAccountTokenSource extends CachedTokenSource {
  private key: Promise<CryptoKey> | undefined;

  constructor(
    private readonly account: ServiceAccount,
    providerName: string,
    now: () => number = Date.now,
  ) {
    super(providerName, { now });
  }

  describe(): string {
    return "service account (OAuth token, refreshed before expiry)";
  }

  protected credentialSecrets(): string[] {
    return [this.account.private_key];
  }

  protected async issue(): Promise<IssuedToken> {
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
    return this.requestToken(
      "the token endpoint",
      this.account.token_uri,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
      },
      30_000,
    );
  }
}
