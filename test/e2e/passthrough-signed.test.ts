// The pass-through to a provider that signs the whole request (Bedrock, SigV4): the body is
// buffered, handed to the transport's authorize, and sent as signed; the loopback Bedrock
// verifies the signature as AWS does.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type MockBedrock, startMockBedrock } from "../support/clouds/mock-bedrock.ts";
import { jsonOf, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

const ACCOUNT = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789",
};
const MASTER = "master-secret-signed";

let mock: MockUpstream;
let bedrock: MockBedrock;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  bedrock = await startMockBedrock({ upstream: mock, region: "us-east-1", accounts: [ACCOUNT] });
  gw = await startTestGateway({
    yaml: `providers:
  bedrock:
    base_url: ${bedrock.url}
    region: us-east-1
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
});

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
