/**
 * AWS Signature Version 4 with crypto.subtle (no AWS SDK): the canonical request (method,
 * canonical URI with each segment encoded again, sorted query, signed headers, payload hash),
 * the string to sign and the HMAC chain of the date, region, service and `aws4_request`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import type { AwsCredentials } from "../../config/types.ts";

export interface SignInput {
  method: string;
  url: string;
  /** Lower-case names; `host` is taken from the URL. */
  headers: Record<string, string>;
  body: string | Uint8Array;
  credentials: AwsCredentials;
  service: string;
  /** Signing time (default now). */
  date?: Date;
  /** Send and sign `x-amz-content-sha256` (default true; the SigV4 test suite's vectors have none). */
  contentSha256Header?: boolean;
}

const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer): string => Buffer.from(bytes).toString("hex");

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : data));
}

async function hmac(key: Uint8Array | ArrayBuffer, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(data));
}

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The path as sent, each segment encoded once more (every service but S3). */
export function canonicalUri(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => uriEncode(segment))
    .join("/");
}

export function canonicalQuery(search: URLSearchParams): string {
  return [...search.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** `yyyymmddThhmmssZ` */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The signing key of one day, region and service. */
export async function signingKey(
  secret: string,
  day: string,
  region: string,
  service: string,
): Promise<ArrayBuffer> {
  const kDate = await hmac(encoder.encode(`AWS4${secret}`), day);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

/**
 * The headers to add to a request so AWS accepts it: `x-amz-date`, `x-amz-content-sha256`,
 * `x-amz-security-token` (temporary credentials) and `authorization`. Every header given is signed.
 */
export async function signRequest(input: SignInput): Promise<Record<string, string>> {
  const url = new URL(input.url);
  const time = amzDate(input.date ?? new Date());
  const day = time.slice(0, 8);
  const { accessKeyId, secretAccessKey, sessionToken, region } = input.credentials;
  const payloadHash = await sha256Hex(input.body);
  const added: Record<string, string> = { "x-amz-date": time };
  if (input.contentSha256Header !== false) added["x-amz-content-sha256"] = payloadHash;
  if (sessionToken) added["x-amz-security-token"] = sessionToken;
  const all: Record<string, string> = { ...lowerCased(input.headers), ...added, host: url.host };
  const names = Object.keys(all).sort();
  const canonicalHeaders = names
    .map((name) => `${name}:${all[name]!.trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.searchParams),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${day}/${region}/${input.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", time, scope, await sha256Hex(canonicalRequest)].join("\n");
  const key = await signingKey(secretAccessKey, day, region, input.service);
  const signature = hex(await hmac(key, stringToSign));
  added.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return added;
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
