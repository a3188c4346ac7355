import { describe, expect, test } from "bun:test";
import {
  PATHS,
  supports,
  type TargetUrls,
  toHttpCall,
  toRequestBody,
  unsupportedReason,
} from "../../bench/lib/paths.ts";
import { toSwitchboardConfig } from "../../bench/lib/services.ts";
import { loadConfigFromText } from "../../src/config/load-config.ts";

const urls: TargetUrls = {
  mock: "http://127.0.0.1:1000",
  floor: "http://127.0.0.1:2000",
  switchboard: "http://127.0.0.1:3000",
  peer: "http://127.0.0.1:4000",
};
const path = (id: string) => {
  const found = PATHS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no path ${id}`);
  return found;
};
const json = { stream: false, events: 20 };
const sse = { stream: true, events: 200 };

describe("bench paths", () => {
  test("the Responses paths: the pipe and the translation to Anthropic", () => {
    expect(path("responses→responses")).toEqual({
      id: "responses→responses",
      client: "responses",
      upstream: "responses",
    });
    expect(path("responses→anthropic")).toEqual({
      id: "responses→anthropic",
      client: "responses",
      upstream: "anthropic",
    });
  });

  test("a Responses request: instructions, input, max_output_tokens, temperature, stream", () => {
    expect(JSON.parse(toRequestBody("responses", "m", sse))).toEqual({
      model: "m",
      instructions: "You are a terse assistant.",
      input: [{ role: "user", content: "Reply with the word ok, repeated." }],
      max_output_tokens: 256,
      temperature: 0,
      stream: true,
    });
    expect(JSON.parse(toRequestBody("responses", "m", json))).not.toHaveProperty("stream");
  });

  test("each target's call for responses→responses", () => {
    const pipe = path("responses→responses");
    const direct = toHttpCall("direct", pipe, json, urls);
    expect(direct.url).toBe("http://127.0.0.1:1000/v1/responses");
    expect(JSON.parse(direct.body).model).toBe("events-20");
    const floor = toHttpCall("floor", pipe, json, urls);
    expect(floor.url).toBe("http://127.0.0.1:2000/v1/responses");
    const gateway = toHttpCall("switchboard", pipe, sse, urls);
    expect(gateway.url).toBe("http://127.0.0.1:3000/v1/responses");
    expect(gateway.headers.authorization).toBe("Bearer sk-bench-client");
    expect(JSON.parse(gateway.body).model).toBe("mock-responses/events-200");
    const peer = toHttpCall("peer", pipe, json, urls);
    expect(peer.url).toBe("http://127.0.0.1:4000/v1/responses");
    expect(peer.headers["x-portkey-provider"]).toBe("openai");
    expect(peer.headers["x-portkey-custom-host"]).toBe("http://127.0.0.1:1000/v1");
  });

  test("responses→anthropic: direct is Messages to the mock, the gateway gets a Responses request", () => {
    const translated = path("responses→anthropic");
    const direct = toHttpCall("direct", translated, json, urls);
    expect(direct.url).toBe("http://127.0.0.1:1000/v1/messages");
    expect(direct.headers["x-api-key"]).toBe("sk-bench-client");
    const gateway = toHttpCall("switchboard", translated, json, urls);
    expect(gateway.url).toBe("http://127.0.0.1:3000/v1/responses");
    expect(JSON.parse(gateway.body)).toMatchObject({
      model: "mock-anthropic/events-20",
      instructions: "You are a terse assistant.",
    });
  });

  test("the floor only on same-protocol paths, the peer not on what Portkey 1.15 cannot serve", () => {
    expect(supports("floor", path("responses→responses"))).toBe(true);
    expect(unsupportedReason("floor", path("responses→anthropic"))).toBe("the bare proxy does not translate");
    expect(supports("peer", path("responses→responses"))).toBe(true);
    expect(unsupportedReason("peer", path("responses→anthropic"))).toContain("Portkey 1.15");
    expect(supports("peer", path("anthropic→openai"))).toBe(false);
    expect(supports("peer", path("openai→anthropic"))).toBe(true);
    for (const each of PATHS) {
      expect(supports("direct", each)).toBe(true);
      expect(supports("switchboard", each)).toBe(true);
    }
  });
});

describe("toSwitchboardConfig", () => {
  test("mock-responses calls every model on /responses; mock-openai stays on Chat Completions", () => {
    const config = loadConfigFromText(toSwitchboardConfig("http://127.0.0.1:1000", 0), "/tmp/bench.yaml", {});
    const providers = new Map(config.providers.map((provider) => [provider.name, provider]));
    expect(providers.get("mock-responses")).toMatchObject({
      type: "openai",
      baseUrl: "http://127.0.0.1:1000/v1",
      responsesModels: ["*"],
    });
    expect(providers.get("mock-openai")?.responsesModels ?? []).toEqual([]);
    expect(providers.get("mock-anthropic")?.type).toBe("anthropic");
  });
});
