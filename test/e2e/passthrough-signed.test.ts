// The pass-through to a provider that signs the whole request (Bedrock, SigV4): the body is
// buffered, handed to the transport's authorize, and sent as signed; the loopback Bedrock
// verifies the signature as AWS does. Binary bodies arrive byte for byte, buffered or streamed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { type Server, serve } from "bun";
import { type MockBedrock, startMockBedrock, TEST_AWS_ACCOUNT } from "../support/clouds/mock-bedrock.ts";
import { jsonOf, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

const ACCOUNT = TEST_AWS_ACCOUNT;
const MASTER = "master-secret-signed";

let mock: MockUpstream;
let bedrock: MockBedrock;
/** A header-key provider (its body streams up): answers with the bytes it received. */
let plain: Server<undefined>;
const plainBodies: Uint8Array<ArrayBuffer>[] = [];
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  bedrock = await startMockBedrock({ upstream: mock, region: "us-east-1", accounts: [ACCOUNT] });
  plain = serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const body = new Uint8Array(await request.arrayBuffer());
      plainBodies.push(body);
      return new Response(body, { headers: { "content-type": "application/octet-stream" } });
    },
  });
  gw = await startTestGateway({
    yaml: `providers:
  bedrock:
    base_url: ${bedrock.url}
    region: us-east-1
  plain:
    type: openai
    base_url: http://127.0.0.1:${plain.port}/v1
    api_key: sk-plain-provider
auth:
  master_key: ${MASTER}
`,
    env: {
      AWS_ACCESS_KEY_ID: ACCOUNT.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ACCOUNT.secretAccessKey,
      AWS_SESSION_TOKEN: ACCOUNT.sessionToken,
    },
  });
});

afterAll(async () => {
  await gw?.stop();
  await bedrock?.stop();
  await mock?.stop();
  await plain?.stop(true);
});

/** Random bytes led by sequences that are not UTF-8 (0xff 0xfe, NUL, a cut multi-byte character). */
function binaryBody(): Uint8Array<ArrayBuffer> {
  const random = crypto.getRandomValues(new Uint8Array(8192));
  return new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xe2, 0x82, ...random, 0x00, 0xf0, 0x9f]);
}

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function upload(path: string, body: Uint8Array): Promise<Response> {
  return fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${MASTER}`, "content-type": "application/octet-stream" },
    body,
  });
}

test("a Converse call through /p/bedrock/ is SigV4-signed over the body the client sent", async () => {
  const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: "signed hello" }] }] });
  const response = await fetch(`${gw.url}/p/bedrock/model/amazon.nova-pro-v1:0/converse`, {
    method: "POST",
    headers: { authorization: `Bearer ${MASTER}`, "content-type": "application/json" },
    body,
  });
  expect(bedrock.rejections).toEqual([]);
  expect(response.status).toBe(200);
  expect(JSON.stringify(await jsonOf(response))).toContain("echo: signed hello");
});

test("a binary body to /p/bedrock/ arrives byte for byte and its SigV4 signature verifies", async () => {
  const body = binaryBody();
  expect(() => new TextDecoder("utf-8", { fatal: true }).decode(body)).toThrow();
  const response = await upload("/p/bedrock/echo/audio.wav", body);
  expect(bedrock.rejections).toEqual([]);
  expect(response.status).toBe(200);
  expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
  const seen = bedrock.seen.at(-1)!;
  expect(seen.url.pathname).toBe("/echo/audio.wav");
  expect(seen.body).toEqual(body);
  // The signature covers exactly these bytes: the signed payload hash is theirs.
  expect(seen.headers.get("x-amz-content-sha256")).toBe(sha256Hex(body));
  expect(seen.headers.get("content-length")).toBe(String(body.byteLength));
});

test("the same binary body streamed to a header-key provider arrives byte for byte too", async () => {
  const body = binaryBody();
  const response = await upload("/p/plain/files", body);
  expect(response.status).toBe(200);
  expect(plainBodies.length).toBe(1);
  expect(plainBodies[0]).toEqual(body);
  expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
});
