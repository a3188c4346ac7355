// Several instances: two gateways sharing Redis (limits) and PostgreSQL (usage), as in production.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { PostgresUsageStore } from "../../src/usage/postgres-store.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

const pgUrl = process.env.SWITCHBOARD_TEST_POSTGRES_URL;
const redisUrl = process.env.SWITCHBOARD_TEST_REDIS_URL;
if (!pgUrl || !redisUrl) {
  console.warn(
    "usage-shared.test.ts: SWITCHBOARD_TEST_POSTGRES_URL / SWITCHBOARD_TEST_REDIS_URL unset; shared-store e2e skipped (see .ci/services.sh)",
  );
}

// Fresh key name per run: Redis keeps a key's state for up to two minutes.
const keyName = `shared-${process.pid}-${Date.now()}`;
const KEY = "sk-shared-e2e-secret";

describe.skipIf(!pgUrl || !redisUrl)("two instances, shared Redis and PostgreSQL", () => {
  let mock: MockUpstream;
  const gateways: TestGateway[] = [];
  let admin: SQL;

  beforeAll(async () => {
    mock = await startMockUpstream();
    const yaml = `${providersYaml(mock)}
auth:
  keys:
    - name: ${keyName}
      key: ${KEY}
      rpm: 3
limits:
  store: ${redisUrl}
`;
    await PostgresUsageStore.migrate(pgUrl!);
    for (let i = 0; i < 2; i++) {
      gateways.push(await startTestGateway({ yaml, usageStore: await PostgresUsageStore.open(pgUrl!) }));
    }
    admin = new SQL(pgUrl!);
  });

  afterAll(async () => {
    for (const gw of gateways) await gw.stop();
    await mock?.stop();
    await admin?.close();
  });

  test("an rpm limit holds across instances, and both record into one table", async () => {
    const call = (gw: TestGateway) =>
      fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
      });
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => call(gateways[i % 2]!)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const ids = responses.map((r) => r.headers.get("x-request-id")!);
    for (const gw of gateways) await gw.runtime.usage.flush();
    const rows = (await admin.unsafe(
      "SELECT request_id, status FROM usage_records WHERE key_name = $1 ORDER BY request_id",
      [keyName],
    )) as Array<{ request_id: string; status: number }>;
    expect(rows.map((r) => r.request_id).sort()).toEqual([...ids].sort());
    expect(rows.filter((r) => r.status === 429)).toHaveLength(5);
  });
});
