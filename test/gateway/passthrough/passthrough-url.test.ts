import { describe, expect, test } from "bun:test";
import type { ResolvedProvider } from "../../../src/config/types.ts";
import { isGatewayError } from "../../../src/errors/gateway-error.ts";
import {
  forwardedRequestHeaders,
  forwardedResponseHeaders,
} from "../../../src/gateway/passthrough/passthrough-headers.ts";
import { splitPassthroughPath, toUpstreamUrl } from "../../../src/gateway/passthrough/passthrough-url.ts";

const provider = { name: "openai", baseUrl: "https://api.example.com/v1" } as ResolvedProvider;

const refusal = (rest: string): string | undefined => {
  try {
    toUpstreamUrl(provider, { provider: "openai", rest, search: "" });
    return undefined;
  } catch (error) {
    return isGatewayError(error) ? `${error.status} ${error.code}` : String(error);
  }
};

describe("pass-through URL", () => {
  test("provider, rest and query are split; the rest keeps its encoding", () => {
    expect(splitPassthroughPath("http://gw/p/openai/files/a%20b?limit=2")).toEqual({
      provider: "openai",
      rest: "/files/a%20b",
      search: "?limit=2",
    });
    expect(splitPassthroughPath("http://gw/v1/models")).toBeNull();
    expect(toUpstreamUrl(provider, { provider: "openai", rest: "/files/a%20b", search: "?limit=2" })).toBe(
      "https://api.example.com/v1/files/a%20b?limit=2",
    );
  });

  test("dot segments, raw or encoded, and encoded separators are refused (400)", () => {
    for (const rest of [
      "/../x",
      "/a/../../x",
      "/%2e%2e/x",
      "/.%2E/x",
      "/./x",
      "/a/..%2fx",
      "/..%5cx",
      "/a\\..\\x",
      "/%zz",
    ]) {
      expect(refusal(rest)).toBe("400 invalid_path");
    }
    expect(refusal("/files/..hidden")).toBeUndefined();
  });

  test("hop-by-hop, credentials and gateway headers stay behind; bytes are never re-encoded", () => {
    const client = new Headers({
      connection: "keep-alive, x-hop",
      "x-hop": "1",
      "keep-alive": "timeout=5",
      "transfer-encoding": "chunked",
      authorization: "Bearer gw-key",
      "x-api-key": "gw-key",
      "x-goog-api-key": "gw-key",
      "api-key": "gw-key",
      cookie: "a=b",
      host: "gw",
      "x-switchboard-debug": "upstream",
      "content-type": "multipart/form-data; boundary=x",
      "openai-beta": "assistants=v2",
    });
    expect(forwardedRequestHeaders(client)).toEqual({
      "content-type": "multipart/form-data; boundary=x",
      "openai-beta": "assistants=v2",
      "accept-encoding": "identity",
    });
    const upstream = new Headers({
      "content-type": "application/json",
      "content-encoding": "gzip",
      connection: "close",
      "set-cookie": "__cf=1",
      "x-request-id": "up-1",
    });
    expect(Object.fromEntries(forwardedResponseHeaders(upstream))).toEqual({
      "content-type": "application/json",
      "content-encoding": "gzip",
      "x-request-id": "up-1",
    });
  });
});
