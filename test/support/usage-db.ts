import type { Database } from "bun:sqlite";
import type { TestGateway } from "./gateway.ts";

export type UsageRow = Record<string, unknown>;

/** The usage row of the request with this x-request-id, once the gateway's recorder has written it. */
export async function waitForUsageRow(gw: TestGateway, db: Database, requestId: string): Promise<UsageRow> {
  for (let i = 0; i < 100; i++) {
    await gw.runtime.usage.flush();
    const row = db
      .query("SELECT * FROM usage_records WHERE request_id = ?")
      .get(requestId) as UsageRow | null;
    if (row) return row;
    await Bun.sleep(20);
  }
  throw new Error(`no usage row for ${requestId}`);
}
