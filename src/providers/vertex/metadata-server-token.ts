/**
 * OAuth access tokens from the Google metadata server (Compute Engine, GKE with Workload
 * Identity, Cloud Run, Cloud Functions): the attached service account's token, as Google's client
 * libraries get it when there is no key file. `GCE_METADATA_HOST` (host[:port]) overrides the
 * host, as it does for those libraries. Off Google Cloud the host does not resolve or answer: the
 * short timeout and a few seconds of failing fast keep that a prompt 502, not a hang.
 */
import type { Env } from "../../config/expand-env.ts";
import { CachedTokenSource, type IssuedToken } from "../cached-token-source.ts";

const DEFAULT_METADATA_HOST = "metadata.google.internal";
const TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
/** The metadata server answers in milliseconds; Google's libraries give up on it after ~3 s. */
const METADATA_TIMEOUT_MS = 2000;
/** After a failure, requests fail at once for this long instead of each waiting for the timeout. */
const FAIL_FAST_MS = 5000;

/** The metadata server's base URL: `GCE_METADATA_HOST` (or `GCE_METADATA_IP`), else metadata.google.internal. */
export function metadataServerUrl(env: Env): string {
  const host = (env.GCE_METADATA_HOST || env.GCE_METADATA_IP || DEFAULT_METADATA_HOST)
    .trim()
    .replace(/\/+$/, "");
  return /^https?:\/\//.test(host) ? host : `http://${host}`;
}

/** A TokenSource for the metadata server's default service account (one per configured provider). */
export class MetadataServerTokenSource extends CachedTokenSource {
  /** `implicit`: chosen because no other credential is configured (the error then says so). */
  constructor(
    private readonly baseUrl: string,
    providerName: string,
    private readonly implicit = false,
    now: () => number = Date.now,
  ) {
    super(providerName, { now, failFastMs: FAIL_FAST_MS });
  }

  describe(): string {
    return `metadata server (${this.baseUrl}; the attached service account, on Google Cloud only)`;
  }

  protected credentialSecrets(): string[] {
    return [];
  }

  protected issue(): Promise<IssuedToken> {
    return this.requestToken(
      `the Google metadata server at ${this.baseUrl}`,
      `${this.baseUrl}${TOKEN_PATH}`,
      { method: "GET", headers: { "metadata-flavor": "Google" } },
      METADATA_TIMEOUT_MS,
      this.implicit
        ? " (used because no credentials file, GOOGLE_APPLICATION_CREDENTIALS or api_key is set; it exists on Google Cloud only)"
        : "",
    );
  }
}
