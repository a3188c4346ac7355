/**
 * A SigV4 verifier for the loopback Bedrock: recomputes the signature of a received request the
 * way AWS does, with node:crypto (independent of the gateway's crypto.subtle signer), and
 * rejects what AWS rejects: an unknown access key, a wrong secret, a wrong region or service,
 * a clock skew over 5 minutes, a body that does not match its hash, a missing session token.
 */
import { createHash, createHmac } from "node:crypto";

export interface AwsAccount {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface VerifyInput {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

/** Undefined when the signature is valid; else AWS's error type and message. */
export type Verdict = { type: string; message: string } | undefined;

const MAX_SKEW_MS = 5 * 60_000;
const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function verifySigV4(
  input: VerifyInput,
  accounts: AwsAccount[],
  region: string,
  service: string,
  now = Date.now(),
): Verdict {
  const authorization = input.headers.get("authorization") ?? "";
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match)
    return {
      type: "IncompleteSignatureException",
      message: "Authorization header requires a SigV4 signature.",
    };
  const [, accessKeyId, day, signedRegion, signedService, signedHeaders, signature] =
    match as unknown as string[];
  const account = accounts.find((a) => a.accessKeyId === accessKeyId);
  if (!account)
    return {
      type: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    };
  if (signedRegion !== region)
    return {
      type: "InvalidSignatureException",
      message: `Credential should be scoped to a valid region, not '${signedRegion}'.`,
    };
  if (signedService !== service)
    return {
      type: "InvalidSignatureException",
      message: `Credential should be scoped to correct service: '${service}'.`,
    };
  const amzDate = input.headers.get("x-amz-date") ?? "";
  const parsed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!parsed || amzDate.slice(0, 8) !== day)
    return {
      type: "IncompleteSignatureException",
      message: "X-Amz-Date is missing or does not match the credential scope.",
    };
  const signedAt = Date.UTC(+parsed[1]!, +parsed[2]! - 1, +parsed[3]!, +parsed[4]!, +parsed[5]!, +parsed[6]!);
  if (Math.abs(now - signedAt) > MAX_SKEW_MS)
    return {
      type: "InvalidSignatureException",
      message: "Signature expired: the request time is too far from the server time.",
    };
  if (
    account.sessionToken !== undefined &&
    input.headers.get("x-amz-security-token") !== account.sessionToken
  )
    return {
      type: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    };
  const names = signedHeaders!.split(";");
  if (!names.includes("host") || !names.includes("x-amz-date"))
    return { type: "InvalidSignatureException", message: "host and x-amz-date must be signed." };
  if (account.sessionToken !== undefined && !names.includes("x-amz-security-token"))
    return { type: "InvalidSignatureException", message: "x-amz-security-token must be signed." };
  const payloadHash = createHash("sha256").update(input.body).digest("hex");
  const claimedHash = input.headers.get("x-amz-content-sha256");
  if (claimedHash !== null && claimedHash !== payloadHash)
    return {
      type: "InvalidSignatureException",
      message: "The provided x-amz-content-sha256 header does not match what was computed.",
    };
  const headerValue = (name: string) => (name === "host" ? input.url.host : (input.headers.get(name) ?? ""));
  const canonical = [
    input.method,
    input.url.pathname.split("/").map(rfc3986).join("/"),
    [...input.url.searchParams.entries()]
      .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
      .sort()
      .join("&"),
    names.map((name) => `${name}:${headerValue(name).trim().replace(/\s+/g, " ")}\n`).join(""),
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash("sha256").update(canonical).digest("hex")}`;
  let key: Buffer = createHmac("sha256", `AWS4${account.secretAccessKey}`).update(day!).digest();
  for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  if (expected !== signature)
    return {
      type: "InvalidSignatureException",
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    };
  return undefined;
}
