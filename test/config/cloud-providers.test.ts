import { describe, expect, test } from "bun:test";
import { ConfigError, formatConfigProblems } from "../../src/config/config-error.ts";
import { loadConfigFromText } from "../../src/config/load-config.ts";

const load = (yaml: string, env: Record<string, string> = {}) =>
  loadConfigFromText(yaml, "/tmp/switchboard-test/switchboard.yaml", env);

function problemsOf(yaml: string, env: Record<string, string> = {}): string {
  try {
    load(yaml, env);
  } catch (error) {
    if (error instanceof ConfigError) return formatConfigProblems(error);
    throw error;
  }
  return "";
}

describe("cloud provider settings", () => {
  test("a provider named bedrock, vertex or azure is of that type; base URLs from region and location", () => {
    const config = load("providers:\n  bedrock:\n    region: eu-west-3\n", {
      AWS_ACCESS_KEY_ID: "AKID",
      AWS_SECRET_ACCESS_KEY: "secret",
    });
    expect(config.providers[0]).toMatchObject({
      type: "bedrock",
      baseUrl: "https://bedrock-runtime.eu-west-3.amazonaws.com",
      bedrock: { region: "eu-west-3" },
    });
    expect(config.providers[0]?.keys[0]?.aws).toEqual({
      accessKeyId: "AKID",
      secretAccessKey: "secret",
      region: "eu-west-3",
    });
  });

  test("a setting of another type is an error naming the type it belongs to", () => {
    const problems = problemsOf(
      "providers:\n  local:\n    type: openai\n    base_url: http://x/v1\n    region: us-east-1\n",
    );
    expect(problems).toContain("providers.local.region");
    expect(problems).toContain("applies to type bedrock only, not openai");
  });

  test("bedrock without a region or credentials: errors that name the setting and never a secret", () => {
    expect(problemsOf("providers:\n  bedrock:\n    aws_access_key_id: AKID\n")).toContain(
      "providers.bedrock.region",
    );
    const noKeys = problemsOf("providers:\n  bedrock:\n    region: us-east-1\n");
    expect(noKeys).toContain("no credentials");
    const half = problemsOf(
      `providers:\n  bedrock:\n    region: us-east-1\n    aws_secret_access_key: \${SECRET}\n`,
      {
        SECRET: "super-secret-value",
      },
    );
    expect(half).toContain("no credentials");
    expect(half).not.toContain("super-secret-value");
  });

  test("azure: deployments, api_version and auth are read; the type list in errors comes from the registry", () => {
    const config = load(
      "providers:\n  azure:\n    base_url: https://r.openai.azure.com\n    api_key: k\n    api_version: 2024-10-21\n    deployments: { gpt-5.4: prod }\n",
    );
    expect(config.providers[0]?.azure).toEqual({
      apiVersion: "2024-10-21",
      deployments: { "gpt-5.4": "prod" },
      auth: "api-key",
    });
    expect(problemsOf("providers:\n  x:\n    type: nope\n    base_url: http://x\n")).toContain(
      "openai, anthropic, gemini, azure, vertex, bedrock",
    );
  });
});

describe("switchboard check with cloud providers", () => {
  test("settings are shown, credentials never (text and JSON summary), the Vertex private key neither", async () => {
    const { describeConfig, configSummary } = await import("../../src/cli/describe-config.ts");
    const { generateServiceAccountKey, writeServiceAccountFile } = await import(
      "../support/clouds/mock-vertex.ts"
    );
    const { pem } = await generateServiceAccountKey();
    const file = writeServiceAccountFile({
      type: "service_account",
      project_id: "proj-1",
      private_key: pem,
      client_email: "sa@proj-1.iam.gserviceaccount.com",
    });
    const secrets = [
      "aws-secret-value-xyz",
      "SESSIONTOKENVALUE1234",
      "azure-secret-key-123456",
      "PRIVATE KEY",
    ];
    const config = load(
      `providers:
  bedrock:
    region: us-east-1
    aws_access_key_id: AKIAEXAMPLEKEYID0000
    aws_secret_access_key: \${AWS_SECRET}
    aws_session_token: SESSIONTOKENVALUE1234
  azure:
    base_url: https://r.openai.azure.com
    api_key: azure-secret-key-123456
    deployments: { gpt-5.4: prod-gpt54 }
  vertex:
    location: europe-west4
    credentials: ${file}
`,
      { AWS_SECRET: "aws-secret-value-xyz" },
    );
    const text = describeConfig(config);
    const json = JSON.stringify(configSummary(config));
    for (const output of [text, json]) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
    expect(text).toContain("region: us-east-1");
    expect(text).toContain("credentials: AWS access key, SigV4 (temporary, with session token)");
    expect(text).toContain("api: v1 (/openai/v1)");
    expect(text).toContain("deployments: gpt-5.4 → prod-gpt54");
    expect(text).toContain("project: proj-1, location: europe-west4");
    expect(text).toContain("https://europe-west4-aiplatform.googleapis.com");
  });
});
