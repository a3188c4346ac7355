/**
 * The part every OAuth token source shares (a Google service account, the Google metadata
 * server, Azure Entra ID client credentials): the token is cached and refreshed before it
 * expires, concurrent requests share one refresh, and a failure is a 502 `upstream_auth_failed`
 * naming the token source, never a secret.
 */
import type { ProviderKey, TokenSource } from "../config/types.ts";
import { GatewayError } from "../errors/gateway-error.ts";

/** A token with less than this left is refreshed before use (Google's and Azure's libraries use a few minutes). */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** While a refresh fails, a cached token with more than this left is still sent. */
const STILL_USABLE_MS = 10_000;

/** What a token endpoint issued: the token and its lifetime. */
export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

export interface CachedTokenOptions {
  now?: () => number;
  /** After a failed refresh, fail at once for this long (a metadata server that is not there). */
  failFastMs?: number;
}

/** A TokenSource whose subclass only says how to get a new token (`issue`) and what it must hide. */
export abstract class CachedTokenSource implements TokenSource {
  private current: { token: string; expiresAt: number; refreshAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  private failed: { error: unknown; until: number } | undefined;
  protected readonly now: () => number;
  private readonly failFastMs: number;

  constructor(
    protected readonly providerName: string,
    options: CachedTokenOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.failFastMs = options.failFastMs ?? 0;
  }

  /** A new token from the source; rejects with `this.failure(…)`. */
  protected abstract issue(): Promise<IssuedToken>;
  /** The credential's own secrets (a private key, a client secret); none for the metadata server. */
  protected abstract credentialSecrets(): string[];
  abstract describe(): string;

  token(): Promise<string> {
    const current = this.current;
    const now = this.now();
    if (current && now < current.refreshAt) return Promise.resolve(current.token);
    // A token still good a little longer is used while its refresh fails (the endpoint's hiccup
    // must not fail requests the old token can still serve).
    const usable = current && current.expiresAt - now > STILL_USABLE_MS ? current.token : undefined;
    if (this.failed && this.failed.until > now)
      return usable ? Promise.resolve(usable) : Promise.reject(this.failed.error);
    // One refresh at a time: every request waiting for a token shares it.
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return usable ? this.refreshing.catch(() => usable) : this.refreshing;
  }

  secrets(): string[] {
    return [...this.credentialSecrets(), ...(this.current ? [this.current.token] : [])];
  }

  private async refresh(): Promise<string> {
    const startedAt = this.now();
    try {
      const issued = await this.issue();
      const lifetimeMs = issued.expiresInSeconds * 1000;
      // Refreshed the margin before expiry. A token that arrives inside the margin (the metadata
      // server hands out its cached token in its last minutes) is used for half its life, not
      // fetched again for every request.
      const useForMs = lifetimeMs > REFRESH_MARGIN_MS ? lifetimeMs - REFRESH_MARGIN_MS : lifetimeMs / 2;
      this.current = {
        token: issued.token,
        expiresAt: startedAt + lifetimeMs,
        refreshAt: startedAt + useForMs,
      };
      this.failed = undefined;
      return issued.token;
    } catch (error) {
      if (this.failFastMs > 0) this.failed = { error, until: this.now() + this.failFastMs };
      throw error;
    }
  }

  /** The 502 a request gets when no token can be had; `reason` names the source, never a secret. */
  protected failure(reason: string): GatewayError {
    return new GatewayError({
      kind: "api_error",
      status: 502,
      message: `Provider '${this.providerName}' could not get an access token: ${reason}.`,
      code: "upstream_auth_failed",
    });
  }

  /**
   * One token request (`source` names it in errors: "the token endpoint", "the metadata server
   * at …"): network failures and timeouts, non-2xx answers (with an OAuth `error` code and an
   * Entra `AADSTS…` code, which hold no secret) and answers without `access_token` are failures;
   * `hint` (what to do about it) follows the reason.
   */
  protected async requestToken(
    source: string,
    url: string,
    init: RequestInit,
    timeoutMs: number,
    hint = "",
  ): Promise<IssuedToken> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut = (error as { name?: unknown } | null)?.name === "TimeoutError";
      throw this.failure(
        `${source} could not be reached${timedOut ? ` (no answer within ${formatSeconds(timeoutMs)})` : ""}${hint}`,
      );
    }
    const json = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (!response.ok || typeof json.access_token !== "string" || json.access_token === "") {
      const codes = [
        typeof json.error === "string" && /^[a-z_]+$/.test(json.error) ? json.error : "",
        typeof json.error_description === "string"
          ? (/AADSTS\d+/.exec(json.error_description)?.[0] ?? "")
          : "",
      ].filter(Boolean);
      throw this.failure(
        `${source} answered HTTP ${response.status}${codes.length ? ` (${codes.join(", ")})` : ""}${hint}`,
      );
    }
    // Entra's v1 endpoint and some proxies send expires_in as a string.
    const expiresIn = Number(json.expires_in);
    return {
      token: json.access_token,
      expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600,
    };
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A provider's only key: no secret of its own, a bearer token from the source on each call. */
export function tokenSourceKey(tokenSource: TokenSource): ProviderKey {
  return { label: "key-1", secret: "", weight: 1, tokenSource };
}
