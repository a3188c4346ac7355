import { presetFor } from "../providers/presets.ts";
import { PROVIDER_KINDS } from "../providers/provider-kinds.ts";
import { PROVIDER_TYPES, type ProviderType } from "../providers/provider-type.ts";
import { toDurationMs, toFlag, toNumber } from "./coerce.ts";
import { DEFAULTS } from "./defaults.ts";
import type { Env } from "./expand-env.ts";
import type { ProblemList } from "./problem-list.ts";
import type { RawConfig, RawProvider } from "./schema.ts";
import type { ProviderKey, ResolvedProvider } from "./types.ts";

const PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Framing headers belong to fetch itself; overriding them would corrupt the upstream request.
const RESERVED_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection"]);

/** The `providers:` section in file order, presets applied. */
export function resolveProviders(
  raw: RawConfig["providers"],
  env: Env,
  problems: ProblemList,
): ResolvedProvider[] {
  const providers: ResolvedProvider[] = [];
  for (const [name, value] of Object.entries(raw ?? {})) {
    const resolved = resolveProvider(name, value ?? {}, env, problems);
    if (resolved) providers.push(resolved);
  }
  return providers;
}

function resolveProvider(
  name: string,
  raw: RawProvider,
  env: Env,
  problems: ProblemList,
): ResolvedProvider | undefined {
  const path = ["providers", name];
  if (!PROVIDER_NAME.test(name)) {
    problems.add(
      path,
      "a provider name is letters, digits, `.`, `_` or `-` (it is the `name/` in `name/model`, so no `/`)",
      true,
    );
    return undefined;
  }

  const preset = presetFor(raw.preset ?? name);
  if (raw.preset !== undefined && !preset) {
    problems.add([...path, "preset"], `unknown preset ${problems.describe([...path, "preset"], raw.preset)}`);
    return undefined;
  }

  // A provider named after a type (`bedrock:`, `vertex:`, `azure:`) is of that type.
  const type = raw.type ?? preset?.type ?? typeNamed(name);
  if (!type) {
    problems.add(
      [...path, "type"],
      `is required: \`${name}\` is not a well-known provider, so say its type: its wire protocol or cloud (${PROVIDER_TYPES.join(", ")})`,
    );
  }
  const kind = type ? PROVIDER_KINDS[type] : undefined;
  if (type) reportForeignSettings(raw, type, problems, path);

  const givenBaseUrl = raw.base_url ?? preset?.baseUrl ?? kind?.defaultBaseUrl?.(raw, env);
  // A cloud derives its base URL from its settings: when it cannot, its configure() says which one is missing.
  const derivesBaseUrl = givenBaseUrl === undefined && kind?.defaultBaseUrl !== undefined;
  const baseUrl = derivesBaseUrl
    ? undefined
    : normalizeBaseUrl(givenBaseUrl, problems, [...path, "base_url"], name);
  const keys = resolveKeys(raw, preset?.keyEnv, env, problems, path);
  if (keys.length === 0 && preset?.keyEnv && !preset.baseUrlEnv) {
    problems.warn(
      path,
      `no API key: set api_key (e.g. \${${preset.keyEnv}}) or calls to ${name} will be refused`,
      true,
    );
  }

  const headers: Record<string, string> = {};
  for (const [header, value] of Object.entries(raw.headers ?? {})) {
    if (!HEADER_NAME.test(header))
      problems.add([...path, "headers", header], "is not a valid HTTP header name", true);
    else if (RESERVED_HEADERS.has(header.toLowerCase()))
      problems.add([...path, "headers", header], "is set by the gateway and cannot be configured", true);
    else headers[header] = value;
  }

  if (!type || (baseUrl === undefined && !derivesBaseUrl)) return undefined;
  const provider: ResolvedProvider = {
    name,
    type,
    baseUrl: baseUrl ?? "",
    keys,
    models: raw.models ?? [],
    modelPrefixes: raw.model_prefixes ?? preset?.modelPrefixes ?? [],
    timeoutMs: toDurationMs(raw.timeout, DEFAULTS.providerTimeoutMs, problems, [...path, "timeout"]),
    headers,
  };
  if (preset) provider.preset = preset.name;
  if (raw.stall_timeout !== undefined)
    provider.stallTimeoutMs = toDurationMs(raw.stall_timeout, DEFAULTS.streamIdleTimeoutMs, problems, [
      ...path,
      "stall_timeout",
    ]);
  // Azure serves OpenAI's models, reasoning deployments included: the same setting, and the
  // field OpenAI's current API takes by default.
  const maxTokensField =
    raw.max_tokens_field ??
    preset?.maxTokensField ??
    (type === "azure" ? "max_completion_tokens" : undefined);
  if (maxTokensField !== undefined) {
    if (type === "openai" || type === "azure") provider.maxTokensField = maxTokensField;
    else if (raw.max_tokens_field !== undefined)
      problems.add(
        [...path, "max_tokens_field"],
        `applies to types openai and azure only, not ${type}`,
        true,
      );
  }
  const responsesModels = resolveResponsesModels(raw.responses, preset?.responsesModels);
  if (responsesModels.length > 0) {
    if (type === "openai" || type === "azure") provider.responsesModels = responsesModels;
    else if (raw.responses !== undefined)
      problems.add([...path, "responses"], `applies to types openai and azure only, not ${type}`, true);
  }
  if (kind?.configure && !kind.configure(provider, { raw, env, problems, path })) return undefined;
  return baseUrl === undefined ? undefined : provider;
}

function typeNamed(name: string): ProviderType | undefined {
  return (PROVIDER_TYPES as readonly string[]).includes(name) ? (name as ProviderType) : undefined;
}

/** A setting of another type (`region` on an openai provider) is a mistake worth naming. */
function reportForeignSettings(
  raw: RawProvider,
  type: ProviderType,
  problems: ProblemList,
  path: string[],
): void {
  const own = new Set(PROVIDER_KINDS[type].settings ?? []);
  for (const [other, kind] of Object.entries(PROVIDER_KINDS)) {
    for (const setting of kind.settings ?? []) {
      if (!own.has(setting) && raw[setting] !== undefined)
        problems.add([...path, setting], `applies to type ${other} only, not ${type}`, true);
    }
  }
}

/** `api_key` or `keys`, else the preset's key variable from the environment, else none. */
function resolveKeys(
  raw: RawProvider,
  keyEnv: string | undefined,
  env: Env,
  problems: ProblemList,
  path: string[],
): ProviderKey[] {
  if (raw.api_key !== undefined && raw.keys !== undefined) {
    problems.add([...path, "keys"], "set either api_key or keys, not both");
    return [];
  }
  if (raw.keys !== undefined) {
    const keys: ProviderKey[] = [];
    raw.keys.forEach((entry, i) => {
      const secret = typeof entry === "string" ? entry : entry.key;
      if (secret === "") problems.add([...path, "keys", i], "key is empty");
      const weight = typeof entry === "string" ? 1 : toNumber(entry.weight, 1);
      keys.push({ label: `key-${i + 1}`, secret, weight });
    });
    return keys;
  }
  // An empty api_key (e.g. `${OPENAI_API_KEY:-}`) means "no key", as for a local server.
  const secret = raw.api_key ?? (keyEnv ? env[keyEnv] : undefined);
  return secret ? [{ label: "key-1", secret, weight: 1 }] : [];
}

function normalizeBaseUrl(
  value: string | undefined,
  problems: ProblemList,
  path: string[],
  name: string,
): string | undefined {
  if (value === undefined) {
    problems.add(path, `is required: \`${name}\` is not a well-known provider, so give its base URL`);
    return undefined;
  }
  // A base URL may carry credentials (`https://user:pass@…`): problems never echo it.
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    problems.add(path, "is not a URL");
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    const scheme = problems.isHidden(path) ? "" : `, not ${url.protocol}//`;
    problems.add(path, `must be an http:// or https:// URL${scheme}`);
    return undefined;
  }
  if (url.search || url.hash) {
    problems.add(path, "must not carry a query string or fragment");
    return undefined;
  }
  return value.trim().replace(/\/+$/, "");
}

/** `responses: true | false | [globs]`, else the preset's Responses-only families. */
function resolveResponsesModels(
  raw: RawProvider["responses"],
  presetDefault: string[] | undefined,
): string[] {
  if (raw === undefined) return presetDefault ? [...presetDefault] : [];
  if (Array.isArray(raw)) return raw;
  return toFlag(raw, false) ? ["*"] : [];
}
