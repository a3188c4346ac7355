/**
 * A loopback Vertex AI: a Google OAuth token endpoint and the Vertex model paths.
 * - `POST /token`: verifies the jwt-bearer assertion's RS256 signature with the test service
 *   account's public key and its claims (iss, aud, scope, exp), then issues an opaque token that
 *   expires after `tokenLifetimeSeconds`.
 * - `GET /computeMetadata/v1/instance/service-accounts/default/token`: the metadata server of
 *   GCE / GKE / Cloud Run (point GCE_METADATA_HOST at `host`); needs `Metadata-Flavor: Google`
 *   (403 otherwise, as Google answers), issues the same kind of expiring tokens.
 * - model calls need `Authorization: Bearer` with an issued, unexpired token (401 otherwise);
 *   Claude's `:rawPredict` / `:streamRawPredict` need `anthropic_version: vertex-2023-10-16` and no
 *   `model` in the body (400 otherwise), and are answered by the mock's Messages endpoint.
 * - Google's `:predict` (text embeddings) is answered here, after the same token check:
 *   `{"instances":[{"content"}], "parameters":{"outputDimensionality"?}}` → `{"predictions":[{"embeddings":
 *   {"values", "statistics":{"token_count","truncated"}}}], "metadata":{"billableCharacterCount"}}`, values
 *   from mockVector (3 dimensions unless asked), token_count = ceil(characters / 3); more than 250
 *   instances (1 for gemini-embedding-*) is a 400 INVALID_ARGUMENT, as Vertex answers.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockVector } from "../mock-echo.ts";
import type { MockUpstream } from "../mock-upstream.ts";
import { type Gate, type GateRejection, type GateRequest, startGate } from "./mock-gate.ts";

export interface MockVertex extends Gate {
  /** Path of the test service-account JSON file (token_uri points at this mock). */
  credentialsFile: string;
  project: string;
  /** Assertions received (valid or not). */
  tokenRequests: number;
  /** `host:port` of this mock, for GCE_METADATA_HOST. */
  host: string;
  /** Metadata-server token requests received (with the header or not). */
  metadataRequests: number;
  /** Tokens issued, in order. */
  issued: string[];
  /** Lifetime of the tokens issued from now on. */
  tokenLifetimeSeconds: number;
}

const b64url = (bytes: ArrayBuffer | Uint8Array): string =>
  Buffer.from(bytes as ArrayBuffer)
    .toString("base64")
    .replace(/=+$/, "")
    .replace(/\+/g, "-")
    .replace(/\//g, "_");

/** A fresh RSA key pair, the private key as the PKCS#8 PEM a service-account file holds. */
export async function generateServiceAccountKey(): Promise<{ pem: string; publicKey: CryptoKey }> {
  const pair = (await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", pair.privateKey)).toString("base64");
  const pem = `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)!.join("\n")}\n-----END PRIVATE KEY-----\n`;
  return { pem, publicKey: pair.publicKey };
}

/** Writes a service-account JSON file; returns its path. */
export function writeServiceAccountFile(account: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-vertex-"));
  const file = join(dir, "service-account.json");
  writeFileSync(file, JSON.stringify(account));
  return file;
}

const googleError = (status: number, message: string, code: string) => ({
  status,
  body: { error: { code: status, message, status: code } },
});

export async function startMockVertex(upstream: MockUpstream, project = "test-project"): Promise<MockVertex> {
  const { pem, publicKey } = await generateServiceAccountKey();
  const clientEmail = `switchboard@${project}.iam.gserviceaccount.com`;
  const tokens = new Map<string, number>();
  let tokenUri = "";
  let counter = 0;

  async function issueToken(request: GateRequest): Promise<Response> {
    state.tokenRequests++;
    const form = new URLSearchParams(new TextDecoder().decode(request.body));
    const invalid = (description: string) =>
      Response.json({ error: "invalid_grant", error_description: description }, { status: 400 });
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer")
      return invalid("grant_type");
    const [header, claims, signature] = (form.get("assertion") ?? "").split(".");
    if (!header || !claims || !signature) return invalid("malformed assertion");
    const valid = await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      publicKey,
      Buffer.from(signature, "base64url"),
      new TextEncoder().encode(`${header}.${claims}`),
    );
    if (!valid) return invalid("Invalid JWT Signature.");
    const head = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: string };
    const body = JSON.parse(Buffer.from(claims, "base64url").toString()) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    if (head.alg !== "RS256") return invalid("alg");
    if (body.iss !== clientEmail) return invalid("iss");
    if (body.aud !== tokenUri) return invalid("aud");
    if (body.scope !== "https://www.googleapis.com/auth/cloud-platform") return invalid("scope");
    if (
      typeof body.exp !== "number" ||
      typeof body.iat !== "number" ||
      body.exp <= now ||
      body.iat > now + 60
    )
      return invalid("Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.");
    const token = `ya29.test-${++counter}-${b64url(crypto.getRandomValues(new Uint8Array(12)))}`;
    tokens.set(token, Date.now() + state.tokenLifetimeSeconds * 1000);
    state.issued.push(token);
    return Response.json({
      access_token: token,
      expires_in: state.tokenLifetimeSeconds,
      token_type: "Bearer",
    });
  }

  function issueMetadataToken(request: GateRequest): Response {
    state.metadataRequests++;
    if (request.method !== "GET") return new Response("Method not allowed", { status: 405 });
    if (request.headers.get("metadata-flavor") !== "Google")
      return new Response("Missing Metadata-Flavor:Google header.", { status: 403 });
    const token = `ya29.metadata-${++counter}-${b64url(crypto.getRandomValues(new Uint8Array(12)))}`;
    tokens.set(token, Date.now() + state.tokenLifetimeSeconds * 1000);
    state.issued.push(token);
    return Response.json(
      { access_token: token, expires_in: state.tokenLifetimeSeconds, token_type: "Bearer" },
      { headers: { "metadata-flavor": "Google" } },
    );
  }

  const MODEL_PATH =
    /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(google|anthropic)\/models\/([^/:]+):(\w+)$/;

  /** `:predict` of a Google text-embedding model, answered here (the mock upstream has no such endpoint). */
  function predict(request: GateRequest, model: string): Response {
    gate.seen.push(request);
    const rejection = checkModelCall(request);
    if (rejection) {
      gate.rejections.push(rejection);
      return Response.json(rejection.body, { status: rejection.status });
    }
    const invalid = (message: string) => {
      const error = googleError(400, message, "INVALID_ARGUMENT");
      gate.rejections.push(error);
      return Response.json(error.body, { status: 400 });
    };
    let body: { instances?: unknown; parameters?: { outputDimensionality?: unknown } };
    try {
      body = JSON.parse(new TextDecoder().decode(request.body));
    } catch {
      return invalid("Invalid JSON payload received.");
    }
    const instances = body.instances;
    if (!Array.isArray(instances) || instances.length === 0)
      return invalid("instances must be a non-empty list");
    const limit = model.startsWith("gemini-embedding") ? 1 : 250;
    if (instances.length > limit)
      return invalid(
        `Unable to submit request because the model supports up to ${limit} instances per prediction request, but ${instances.length} were given.`,
      );
    const texts: string[] = [];
    for (const instance of instances) {
      const content = (instance as { content?: unknown } | null)?.content;
      if (typeof content !== "string") return invalid("instances[].content must be a string");
      texts.push(content);
    }
    const dimensions = body.parameters?.outputDimensionality;
    if (dimensions !== undefined && (typeof dimensions !== "number" || !Number.isInteger(dimensions)))
      return invalid("parameters.outputDimensionality must be an integer");
    return Response.json({
      predictions: texts.map((text) => ({
        embeddings: {
          values: mockVector(text, typeof dimensions === "number" ? dimensions : 3),
          statistics: { token_count: Math.ceil(text.length / 3), truncated: false },
        },
      })),
      metadata: { billableCharacterCount: texts.reduce((sum, text) => sum + text.length, 0) },
    });
  }

  function checkModelCall(request: GateRequest): GateRejection | undefined {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    const expiresAt = tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now())
      return googleError(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED");
    const match = MODEL_PATH.exec(request.url.pathname);
    if (!match || match[1] !== project) return googleError(404, "Not found", "NOT_FOUND");
    if (match[3] === "anthropic") {
      if (!["rawPredict", "streamRawPredict"].includes(match[5]!))
        return googleError(404, "Not found", "NOT_FOUND");
      const body = JSON.parse(new TextDecoder().decode(request.body)) as Record<string, unknown>;
      if (body.anthropic_version !== "vertex-2023-10-16" || "model" in body)
        return googleError(
          400,
          "anthropic_version: vertex-2023-10-16 required; model must not be set",
          "INVALID_ARGUMENT",
        );
    }
    return undefined;
  }

  const gate = await startGate({
    upstream,
    handle(request) {
      if (request.url.pathname === "/token") return issueToken(request);
      if (request.url.pathname === "/computeMetadata/v1/instance/service-accounts/default/token")
        return issueMetadataToken(request);
      const match = MODEL_PATH.exec(request.url.pathname);
      if (match?.[3] === "google" && match[5] === "predict")
        return predict(request, decodeURIComponent(match[4]!));
      return undefined;
    },
    check: checkModelCall,
    rewrite(request) {
      const match = MODEL_PATH.exec(request.url.pathname)!;
      if (match[3] !== "anthropic") return { path: request.url.pathname + request.url.search };
      const body = JSON.parse(new TextDecoder().decode(request.body)) as Record<string, unknown>;
      return {
        path: "/v1/messages",
        body: new TextEncoder().encode(JSON.stringify({ model: decodeURIComponent(match[4]!), ...body })),
      };
    },
  });
  tokenUri = `${gate.url}/token`;
  const credentialsFile = writeServiceAccountFile({
    type: "service_account",
    project_id: project,
    private_key_id: "test-key-1",
    private_key: pem,
    client_email: clientEmail,
    token_uri: tokenUri,
  });
  const state: MockVertex = Object.assign(gate, {
    credentialsFile,
    project,
    tokenRequests: 0,
    host: new URL(gate.url).host,
    metadataRequests: 0,
    issued: [] as string[],
    tokenLifetimeSeconds: 3600,
  });
  return state;
}
