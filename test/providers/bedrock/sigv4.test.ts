import { describe, expect, test } from "bun:test";
import { canonicalUri, signingKey, signRequest } from "../../../src/providers/bedrock/sigv4.ts";

// The example credentials and time of AWS's SigV4 documentation and test suite.
const EXAMPLE = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  region: "us-east-1",
};
const DATE = new Date("2015-08-30T12:36:00Z");

describe("SigV4 (AWS's published examples)", () => {
  test("the signing key of the IAM example", async () => {
    const key = await signingKey(EXAMPLE.secretAccessKey, "20150830", "us-east-1", "iam");
    expect(Buffer.from(key).toString("hex")).toBe(
      "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
    );
  });

  test("get-vanilla of the SigV4 test suite", async () => {
    const headers = await signRequest({
      method: "GET",
      url: "https://example.amazonaws.com/",
      headers: {},
      body: "",
      credentials: EXAMPLE,
      service: "service",
      date: DATE,
      contentSha256Header: false,
    });
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
    expect(headers["x-amz-date"]).toBe("20150830T123600Z");
  });

  test("the IAM ListUsers example (query string, content-type signed)", async () => {
    const headers = await signRequest({
      method: "GET",
      url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: "",
      credentials: EXAMPLE,
      service: "iam",
      date: DATE,
      contentSha256Header: false,
    });
    expect(headers.authorization).toEndWith(
      "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
  });

  test("a Bedrock model id's colon, sent as %3A, is encoded again in the canonical URI", () => {
    expect(canonicalUri("/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke")).toBe(
      "/model/anthropic.claude-3-haiku-20240307-v1%253A0/invoke",
    );
  });

  test("temporary credentials add and sign x-amz-security-token; the body hash is sent", async () => {
    const headers = await signRequest({
      method: "POST",
      url: "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse",
      headers: { "content-type": "application/json" },
      body: "{}",
      credentials: { ...EXAMPLE, sessionToken: "session-token" },
      service: "bedrock",
      date: DATE,
    });
    expect(headers["x-amz-security-token"]).toBe("session-token");
    expect(headers["x-amz-content-sha256"]).toBe(
      "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
    );
    expect(headers.authorization).toContain(
      "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,",
    );
  });
});
