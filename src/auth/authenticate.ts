import { hashKey } from "../config/hash-key.ts";
import type { GatewayKey, ResolvedConfig } from "../config/types.ts";
import { GatewayError } from "../errors/gateway-error.ts";

/** Who is calling: the master key, a virtual key, or anyone (open gateway). */
export type Caller =
  | { kind: "master"; name: "master" }
  | { kind: "virtual"; name: string; key: GatewayKey }
  | { kind: "open"; name: null };

export function presentedKey(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1].trim();
  }
  const apiKey = headers.get("x-api-key");
  return apiKey ? apiKey.trim() : null;
}

/** An index of the configured keys by digest, built once per config. */
export interface KeyIndex {
  open: boolean;
  master: Buffer | null;
  byDigest: Map<string, GatewayKey>;
}

export function buildKeyIndex(config: ResolvedConfig): KeyIndex {
  const byDigest = new Map<string, GatewayKey>();
  for (const key of config.auth.keys) byDigest.set(key.sha256, key);
  const masterHex = config.auth.masterKeySha256;
  return {
    open: !masterHex && byDigest.size === 0,
    master: masterHex ? Buffer.from(masterHex, "hex") : null,
    byDigest,
  };
}

const unauthenticated = (message: string): GatewayError =>
  new GatewayError({ kind: "authentication", status: 401, message, code: "invalid_api_key" });

/**
 * Authenticates a request. Keys are hashed and the digests compared in constant time, so the
 * comparison time says nothing about how much of a guess was right.
 */
export function authenticate(headers: Headers, index: KeyIndex): Caller {
  if (index.open) return { kind: "open", name: null };
  const key = presentedKey(headers);
  if (!key)
    throw unauthenticated("Missing API key: send `Authorization: Bearer <key>` or `x-api-key: <key>`.");
  const digestHex = hashKey(key);
  const digest = Buffer.from(digestHex, "hex");
  if (index.master && crypto.timingSafeEqual(digest, index.master)) return { kind: "master", name: "master" };
  const candidate = index.byDigest.get(digestHex);
  if (candidate && crypto.timingSafeEqual(digest, Buffer.from(candidate.sha256, "hex"))) {
    return { kind: "virtual", name: candidate.name, key: candidate };
  }
  throw unauthenticated("Invalid API key.");
}
