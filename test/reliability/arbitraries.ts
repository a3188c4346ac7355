/**
 * fast-check arbitraries for the reliability suite: valid requests of each client protocol,
 * mutations of them (wrong types, huge numbers, deep nesting, odd characters in names, floods
 * of unknown fields), malformed JSON, and odd header values.
 */
import fc from "fast-check";
import { ROUTED_MODELS, SECRETS } from "./fuzz-config.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type BodyKind = "chat" | "messages" | "count_tokens" | "responses";

/** One fixed seed for the whole suite: a failure prints its path, and reruns the same. */
export const SEED = 15;

/** Characters that have broken gateways: controls, separators, bidi, BOM, CJK, emoji, a lone surrogate. */
const ODD_CHARS = [
  "\n",
  "\r",
  "\t",
  "\u0000",
  "\u0001",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u2028",
  "\u202e",
  "\ufeff",
  "\ufffd",
  "模型",
  "🦊",
  "e\u0301",
  "\ud800",
  '"',
  "\\",
  "/",
  "%",
  ":",
  ";",
  ",",
];

const oddString = (maxLength = 40) =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc.array(fc.constantFrom(...ODD_CHARS), { minLength: 1, maxLength: 8 }).map((parts) => parts.join("")),
    fc.tuple(fc.constantFrom(...ROUTED_MODELS), fc.constantFrom(...ODD_CHARS)).map(([m, c]) => `${m}${c}`),
    fc.constantFrom("", " ", "x".repeat(10_000), "a/".repeat(500), "openai/", "/gpt", "openai//x"),
  );

/** Names that can reach a response header (model names, field names the translation drops). */
const oddName = (maxLength = 40) => oddString(maxLength);

/** Model names: routed ones, routed ones with odd characters, and anything at all. */
export const modelName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ROUTED_MODELS) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom("openai/", "anthropic/", "gemini/"), oddName())
      .map(([provider, name]) => provider + name),
  },
  { weight: 1, arbitrary: oddName() },
);

const text = fc.oneof(fc.string({ maxLength: 30 }), oddString(20));

const tool = fc.record({
  name: fc.oneof(fc.constantFrom("get_weather", "lookup"), oddName(20)),
  description: text,
});

const chatBody = fc
  .record(
    {
      system: text,
      user: text,
      stream: fc.boolean(),
      includeUsage: fc.boolean(),
      maxTokens: fc.integer({ min: 1, max: 4096 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      tools: fc.array(tool, { maxLength: 2 }),
      json: fc.boolean(),
    },
    { requiredKeys: ["user", "stream"] },
  )
  .map((r) => {
    const body: Record<string, Json> = {
      messages: [
        ...(r.system === undefined ? [] : [{ role: "system", content: r.system }]),
        { role: "user", content: r.user },
      ],
      stream: r.stream,
    };
    if (r.includeUsage !== undefined && r.stream) body.stream_options = { include_usage: r.includeUsage };
    if (r.maxTokens !== undefined) body.max_tokens = r.maxTokens;
    if (r.temperature !== undefined) body.temperature = r.temperature;
    if (r.tools?.length)
      body.tools = r.tools.map((t) => ({
        type: "function",
        function: {
          name: t.name,
          description: t.description,
          parameters: { type: "object", properties: {} },
        },
      }));
    if (r.json) body.response_format = { type: "json_object" };
    return body;
  });

const messagesBody = fc
  .record(
    {
      system: text,
      user: text,
      stream: fc.boolean(),
      maxTokens: fc.integer({ min: 1, max: 4096 }),
      tools: fc.array(tool, { maxLength: 2 }),
      thinking: fc.integer({ min: 1024, max: 4000 }),
      blocks: fc.boolean(),
    },
    { requiredKeys: ["user", "stream", "maxTokens"] },
  )
  .map((r) => {
    const body: Record<string, Json> = {
      max_tokens: r.maxTokens,
      messages: [{ role: "user", content: r.blocks ? [{ type: "text", text: r.user }] : r.user }],
      stream: r.stream,
    };
    if (r.system !== undefined) body.system = r.system;
    if (r.tools?.length)
      body.tools = r.tools.map((t) => ({
        name: t.name,
        description: t.description,
        input_schema: { type: "object", properties: {} },
      }));
    if (r.thinking !== undefined) body.thinking = { type: "enabled", budget_tokens: r.thinking };
    return body;
  });

const countTokensBody = messagesBody.map(({ stream: _stream, max_tokens: _max, ...rest }) => rest);

const responsesBody = fc
  .record(
    {
      instructions: text,
      user: text,
      asItems: fc.boolean(),
      stream: fc.boolean(),
      maxTokens: fc.integer({ min: 16, max: 4096 }),
      store: fc.boolean(),
      tools: fc.array(tool, { maxLength: 2 }),
      reasoning: fc.constantFrom("low", "medium", "high"),
    },
    { requiredKeys: ["user", "stream"] },
  )
  .map((r) => {
    const body: Record<string, Json> = {
      input: r.asItems ? [{ role: "user", content: [{ type: "input_text", text: r.user }] }] : r.user,
      stream: r.stream,
    };
    if (r.instructions !== undefined) body.instructions = r.instructions;
    if (r.maxTokens !== undefined) body.max_output_tokens = r.maxTokens;
    if (r.store !== undefined) body.store = r.store;
    if (r.reasoning !== undefined) body.reasoning = { effort: r.reasoning };
    if (r.tools?.length)
      body.tools = r.tools.map((t) => ({
        type: "function",
        name: t.name,
        description: t.description,
        parameters: { type: "object", properties: {} },
      }));
    return body;
  });

const BODIES: Record<BodyKind, fc.Arbitrary<Record<string, Json>>> = {
  chat: chatBody,
  messages: messagesBody,
  count_tokens: countTokensBody,
  responses: responsesBody,
};

/** A valid request of the endpoint's protocol, to a model that routes (or an odd model name). */
export function validBody(kind: BodyKind): fc.Arbitrary<Record<string, Json>> {
  return fc.tuple(BODIES[kind], modelName).map(([body, model]) => ({ model, ...body }));
}

// Numbers JSON can spell but JavaScript cannot hold (parsed to Infinity, 0 or a rounded value).
const RAW_NUMBERS = [
  "1e400",
  "-1e400",
  "1e-400",
  "123456789012345678901234567890",
  "-0",
  "9007199254740993",
  "0.0000000000000000000000001",
];
// A string value `"\u0000raw:<spec>"` is replaced in the JSON text by what the spec spells:
// `num:1e400` → 1e400, `nest:array:1000` → 1000 nested arrays. Short markers keep toJsonText cheap.
const RAW_MARKER = "\u0000raw:";

/** A value of any type, including huge numbers (written raw into the JSON text). */
const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(...RAW_NUMBERS).map((raw) => `${RAW_MARKER}num:${raw}`),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, -1, 0, 2 ** 31),
  oddString(),
  fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 4 }),
  fc.dictionary(oddName(10), fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, { maxKeys: 4 }),
);

export type Mutation =
  | { kind: "replace"; at: number; value: Json }
  | { kind: "delete"; at: number }
  | { kind: "rename"; at: number; name: string }
  | { kind: "nest"; at: number; depth: number; shape: "array" | "object" }
  | { kind: "unknown_fields"; count: number; at: number }
  | { kind: "model"; value: Json };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("replace"), at: fc.nat(), value: wrongValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete"), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rename"), at: fc.nat(), name: oddName(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("nest"),
      at: fc.nat(),
      depth: fc.constantFrom(8, 64, 127, 128, 129, 1000, 150_000),
      shape: fc.constantFrom("array", "object"),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("unknown_fields"),
      count: fc.constantFrom(30, 500, 3000),
      at: fc.nat(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("model"), value: fc.oneof(oddName(), wrongValue) }) },
) as fc.Arbitrary<Mutation>;

type Container = Json[] | { [key: string]: Json };
interface Slot {
  parent: Container;
  key: string | number;
}

/** Every (container, key) in the value, depth first, so a mutation can pick one by number. */
function slotsOf(value: Json): Slot[] {
  const slots: Slot[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        slots.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        slots.push({ parent: node, key });
        walk(child);
      }
    }
  };
  walk(value);
  return slots;
}

function nested(depth: number, shape: "array" | "object"): string {
  return shape === "array"
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** A copy of the body with the mutation applied; raw numbers and deep nests are markers until toJsonText. */
export function applyMutation(body: Record<string, Json>, m: Mutation): Record<string, Json> {
  const copy = structuredClone(body) as Record<string, Json>;
  const slots = slotsOf(copy);
  const slot = slots.length > 0 && "at" in m ? slots[m.at % slots.length] : undefined;
  const set = (target: Slot, value: Json) => {
    (target.parent as Record<string | number, Json>)[target.key] = value;
  };
  switch (m.kind) {
    case "replace":
      if (slot) set(slot, m.value);
      break;
    case "delete":
      if (slot && Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
      else if (slot) delete (slot.parent as Record<string, Json>)[slot.key as string];
      break;
    case "rename":
      if (slot && !Array.isArray(slot.parent)) {
        const parent = slot.parent as Record<string, Json>;
        const value = parent[slot.key as string] as Json;
        delete parent[slot.key as string];
        parent[m.name] = value;
      }
      break;
    case "nest": {
      const raw = `${RAW_MARKER}nest:${m.shape}:${m.depth}`;
      if (slot) set(slot, raw);
      else copy.nest = raw;
      break;
    }
    case "unknown_fields": {
      const picked = slot ? (slot.parent as Record<string | number, Json>)[slot.key] : undefined;
      const host = isObject(picked) ? picked : copy;
      for (let i = 0; i < m.count; i++) host[`x_unknown_${i}_${ODD_CHARS[i % ODD_CHARS.length]}`] = i;
      break;
    }
    case "model":
      copy.model = m.value;
      break;
  }
  return copy;
}

/** JSON.stringify, with each raw marker replaced by the text it spells. */
export function toJsonText(value: Json): string {
  return JSON.stringify(value).replace(
    /"\\u0000raw:(num|nest):([^"]*)"/g,
    (_, kind: string, spec: string) => {
      if (kind === "num") return spec;
      const [shape, depth] = spec.split(":");
      return nested(Number(depth), shape === "array" ? "array" : "object");
    },
  );
}

function isObject(value: Json | undefined): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Bodies that are not JSON, or not the JSON an endpoint expects. */
export function malformedBody(kind: BodyKind): fc.Arbitrary<string | Uint8Array> {
  const valid = validBody(kind).map((body) => JSON.stringify(body));
  return fc.oneof(
    fc.tuple(valid, fc.nat()).map(([t, n]) => t.slice(0, n % Math.max(1, t.length))),
    fc
      .tuple(
        valid,
        fc.nat(),
        fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", "\u0000", "NaN", "'", "//", "\ufeff"),
      )
      .map(([t, n, junk]) => {
        const at = n % (t.length + 1);
        return t.slice(0, at) + junk + t.slice(at);
      }),
    valid.map((t) => `\ufeff${t}`),
    valid.map((t) => `${t}${t}`),
    valid.map((t) => `[${t}]`),
    valid.map((t) => t.replace(/"model"/, '"model":"a","model"')),
    valid.map((t) => `${t.slice(0, -1)},}`),
    fc.constantFrom(
      "",
      " ",
      "null",
      "true",
      "0",
      "1e400",
      '"text"',
      "[]",
      "{}",
      "{",
      "}",
      '{"model":}',
      "\u0000",
      " ".repeat(100_000),
    ),
    fc.uint8Array({ minLength: 1, maxLength: 200 }),
    valid.map((t) => {
      // Invalid UTF-8 inside a string value.
      const bytes = new TextEncoder().encode(t);
      const quote = bytes.indexOf(0x22, 10);
      const out = new Uint8Array(bytes.length + 2);
      out.set(bytes.subarray(0, quote + 1));
      out.set([0xc3, 0x28], quote + 1);
      out.set(bytes.subarray(quote + 1), quote + 3);
      return out;
    }),
  );
}

/** Header values a fetch client can send (latin-1 bytes, no CR/LF/NUL), odd ones favoured. */
const headerValue = fc
  .oneof(
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
      maxLength: 60,
    }),
    fc.constantFrom(
      "",
      " ",
      "\t",
      "x".repeat(6000),
      "é模".normalize(),
      "a, b, c".repeat(300),
      "\u00ff\u00fe",
    ),
  )
  .map((v) => v.replace(/[^\t\x20-\xff]/g, "?"));

// Bun answers requests whose headers pass 16 KiB itself (431, no body), before the gateway sees them.
const HEADER_BUDGET = 14 * 1024;
export const withinHeaderBudget = (headers: Record<string, string>) =>
  Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0) <
  HEADER_BUDGET;

const gatewayKeys = [SECRETS.masterKey, SECRETS.appKey, SECRETS.limitedKey];
const providerKeys = [SECRETS.openaiKey, SECRETS.anthropicKey, SECRETS.geminiKey];

/** The credential a request presents: a gateway key (mostly), a provider's key, or junk. */
export const authHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ authorization: `Bearer ${SECRETS.masterKey}` }) },
  { weight: 2, arbitrary: fc.constantFrom(...gatewayKeys).map((k) => ({ "x-api-key": k })) },
  { weight: 1, arbitrary: fc.constantFrom(...gatewayKeys).map((k) => ({ authorization: `Bearer ${k}` })) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.constantFrom(...providerKeys).map((k) => ({ authorization: `Bearer ${k}` })),
      fc.constantFrom(...gatewayKeys).map((k) => ({ authorization: `bearer  ${k} ` })),
      fc.constantFrom(...gatewayKeys).map((k) => ({ authorization: `Basic ${k}` })),
      fc.constantFrom(...gatewayKeys).map((k) => ({ authorization: `Bearer ${k}x` })),
      fc.constantFrom(...gatewayKeys).map((k) => ({ authorization: `Bearer ${k}`, "x-api-key": "other" })),
      headerValue.map((v) => ({ authorization: v })),
      headerValue.map((v) => ({ "x-api-key": v })),
      fc.constant({}),
    ),
  },
);

/** Protocol and gateway headers with odd values. */
export const oddHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      "content-type": fc.oneof(
        fc.constantFrom(
          "application/json",
          "text/plain",
          "application/json; charset=latin1",
          "multipart/form-data",
          "",
        ),
        headerValue,
      ),
      "x-request-id": headerValue,
      "anthropic-version": headerValue,
      "anthropic-beta": headerValue,
      "openai-beta": headerValue,
      "openai-organization": headerValue,
      "x-switchboard-debug": fc.oneof(fc.constantFrom("upstream", " UPSTREAM ", "none"), headerValue),
      "x-switchboard-strictness": fc.oneof(fc.constantFrom("strict", "lenient", "Strict "), headerValue),
      "accept-encoding": fc.oneof(fc.constantFrom("gzip", "br", "identity", "*;q=0"), headerValue),
      accept: fc.oneof(fc.constantFrom("text/event-stream", "application/json", "*/*"), headerValue),
    },
    { requiredKeys: [] },
  )
  .map(
    (headers) =>
      Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >,
  )
  .filter(withinHeaderBudget);
