import { timingSafeEqual } from "node:crypto";
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
  if (index.master && timingSafeEqual(digest, index.master)) return { kind: "master", name: "master" };
  const candidate = index.byDigest.get(digestHex);
  if (candidate && timingSafeEqual(digest, Buffer.from(candidate.sha256, "hex"))) {
    return { kind: "virtual", name: candidate.name, key: candidate };
  }
  throw unauthenticated("Invalid API key.");
}

/** Glob match where `*` matches any run of characters, `/` included. */
export function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  const parts = pattern.split("*");
  if (!value.startsWith(parts[0])) return false;
  let position = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = value.indexOf(parts[i], position);
    if (found === -1) return false;
    position = found + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return value.length - last.length >= position && value.endsWith(last);
}

export function callerMayUse(caller: Caller, model: string): boolean {
  if (caller.kind !== "virtual" || !caller.key.models) return true;
  return caller.key.models.some((pattern) => globMatches(pattern, model));
}

export function assertModelAllowed(caller: Caller, model: string): void {
  if (callerMayUse(caller, model)) return;
  throw new GatewayError({
    kind: "permission",
    status: 403,
    message: `This key is not allowed to use the model '${model}'.`,
    param: "model",
    code: "model_not_allowed",
  });
}
