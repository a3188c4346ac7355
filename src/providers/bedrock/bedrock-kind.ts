/**
 * AWS Bedrock (`type: bedrock`). Anthropic models through InvokeModel /
 * InvokeModelWithResponseStream with the Anthropic Messages body (`anthropic_version:
 * bedrock-2023-05-31`, no `model`, no `stream`); every other model through Converse /
 * ConverseStream (protocols/bedrock-converse/). Requests are signed with SigV4 (sigv4.ts), or
 * carry a Bedrock API key as a bearer token; streams are AWS event-stream framed.
 */
import type { AwsCredentials, ResolvedProvider } from "../../config/types.ts";
import type { ProviderKind } from "../provider-kinds.ts";
import type { ProviderWire } from "../provider-wire.ts";
import type { WireRoute } from "../transport.ts";
import { BedrockConverseDeframer, BedrockInvokeDeframer } from "./bedrock-deframer.ts";
import { signRequest } from "./sigv4.ts";

export const BEDROCK_ANTHROPIC_VERSION = "bedrock-2023-05-31";
/** SigV4's service name for bedrock-runtime. */
const SIGNING_SERVICE = "bedrock";

export function bedrockBaseUrl(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

/** `anthropic.claude-…`, and inference profiles such as `us.anthropic.claude-…` or `global.anthropic.…`. */
export function isBedrockAnthropicModel(model: string): boolean {
  return /(^|[.:/])anthropic\.claude/.test(model);
}

function bedrockWireOf(_provider: ResolvedProvider, model: string): ProviderWire {
  return isBedrockAnthropicModel(model) ? "anthropic" : "bedrock_converse";
}

/** A bedrock-runtime action on a model id, inference profile or ARN: `{base}/model/{encoded id}/{action}`. */
export function bedrockModelUrl(
  provider: ResolvedProvider,
  model: string,
  action: "invoke" | "invoke-with-response-stream" | "converse" | "converse-stream",
): string {
  return `${provider.baseUrl}/model/${encodeURIComponent(model.toWellFormed())}/${action}`;
}

function bedrockUrl(provider: ResolvedProvider, route: WireRoute): string {
  const action =
    route.wire === "anthropic"
      ? route.stream
        ? "invoke-with-response-stream"
        : "invoke"
      : route.stream
        ? "converse-stream"
        : "converse";
  return bedrockModelUrl(provider, route.model, action);
}

function regionOf(raw: { region?: string }, env: Record<string, string | undefined>): string | undefined {
  return raw.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
}

export const bedrockKind: ProviderKind = {
  wireOf: bedrockWireOf,
  transport: {
    url: bedrockUrl,
    adaptBody(body, _provider, route, headers) {
      if (route.wire !== "anthropic") return body;
      const { model: _model, stream: _stream, ...rest } = body;
      const adapted: Record<string, unknown> = { anthropic_version: BEDROCK_ANTHROPIC_VERSION, ...rest };
      // InvokeModel reads beta flags from the body only.
      const beta = headers?.["anthropic-beta"];
      if (beta) {
        adapted.anthropic_beta = beta
          .split(",")
          .map((flag) => flag.trim())
          .filter(Boolean);
        delete headers?.["anthropic-beta"];
      }
      return adapted;
    },
    async authorize(call, { key }) {
      if (key?.aws) {
        const signed = await signRequest({
          method: call.method ?? "POST",
          url: call.url,
          headers: call.headers,
          body: call.body,
          credentials: key.aws,
          service: SIGNING_SERVICE,
        });
        Object.assign(call.headers, signed);
      } else if (key?.secret) call.headers.authorization = `Bearer ${key.secret}`;
    },
    framing: "aws-event-stream",
    createDeframer: (route) =>
      route.wire === "anthropic" ? new BedrockInvokeDeframer() : new BedrockConverseDeframer(),
  },
  settings: ["region", "aws_access_key_id", "aws_secret_access_key", "aws_session_token"],
  defaultBaseUrl(raw, env) {
    const region = regionOf(raw, env);
    return region ? bedrockBaseUrl(region) : undefined;
  },
  configure(provider, { raw, env, problems, path }) {
    const region = regionOf(raw, env);
    if (!region) {
      problems.add([...path, "region"], "is required: the AWS region (or set AWS_REGION)");
      return false;
    }
    provider.bedrock = { region };
    if (provider.keys.length > 0) {
      if (raw.aws_access_key_id !== undefined || raw.aws_secret_access_key !== undefined)
        problems.add(
          [...path, "api_key"],
          "set either api_key (a Bedrock API key) or AWS credentials, not both",
        );
      return true;
    }
    const accessKeyId = raw.aws_access_key_id ?? env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = raw.aws_secret_access_key ?? env.AWS_SECRET_ACCESS_KEY;
    // An empty session token (`${AWS_SESSION_TOKEN:-}`) means long-term credentials.
    const sessionToken = (raw.aws_session_token ?? env.AWS_SESSION_TOKEN) || undefined;
    if (accessKeyId && secretAccessKey) {
      const aws: AwsCredentials = {
        accessKeyId,
        secretAccessKey,
        region,
        ...(sessionToken ? { sessionToken } : {}),
      };
      provider.keys = [{ label: "key-1", secret: "", weight: 1, aws }];
      return true;
    }
    const bearer = env.AWS_BEARER_TOKEN_BEDROCK;
    if (bearer) {
      provider.keys = [{ label: "key-1", secret: bearer, weight: 1 }];
      return true;
    }
    problems.add(
      path,
      "no credentials: set aws_access_key_id and aws_secret_access_key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or api_key (a Bedrock API key, or AWS_BEARER_TOKEN_BEDROCK)",
      true,
    );
    return false;
  },
  describe(provider) {
    const key = provider.keys[0];
    const credentials = key?.aws
      ? `AWS access key, SigV4${key.aws.sessionToken ? " (temporary, with session token)" : ""}`
      : key
        ? "Bedrock API key (bearer)"
        : "none";
    return provider.bedrock ? [`region: ${provider.bedrock.region}`, `credentials: ${credentials}`] : [];
  },
  fromEnv(env, timeoutMs) {
    const region = regionOf({}, env);
    if (!region) return undefined;
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    const sessionToken = env.AWS_SESSION_TOKEN || undefined;
    let key: ResolvedProvider["keys"][number];
    if (accessKeyId && secretAccessKey)
      key = {
        label: "key-1",
        secret: "",
        weight: 1,
        aws: { accessKeyId, secretAccessKey, region, ...(sessionToken ? { sessionToken } : {}) },
      };
    else if (env.AWS_BEARER_TOKEN_BEDROCK)
      key = { label: "key-1", secret: env.AWS_BEARER_TOKEN_BEDROCK, weight: 1 };
    else return undefined;
    return {
      name: "bedrock",
      type: "bedrock",
      baseUrl: bedrockBaseUrl(region),
      keys: [key],
      models: [],
      modelPrefixes: [],
      timeoutMs,
      headers: {},
      bedrock: { region },
    };
  },
};
