/**
 * Responses API state the gateway keeps for responses it answered by translation, so that
 * `previous_response_id` works on any provider and `GET`/`DELETE /v1/responses/{id}` work for
 * the key that created them (docs/responses.md). Kept in the usage store's database.
 */
export interface StoredResponse {
  id: string;
  /** The gateway key that created it (null on an open gateway); only that key may read or delete it. */
  keyName: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; a response past it is gone. */
  expiresAt: number;
  /** Every input item of the turn, earlier turns' included (string input as one user message). */
  input: unknown[];
  /** The response object as the client received it. */
  response: Record<string, unknown>;
}

export interface ResponseStateStore {
  putResponse(response: StoredResponse): Promise<void>;
  /** Null when unknown or expired. */
  getResponse(id: string): Promise<StoredResponse | null>;
  /** The stored response whose output holds the item `itemId`; null when unknown or expired. */
  getResponseByItem(itemId: string): Promise<StoredResponse | null>;
  /** True when it existed and was deleted. */
  deleteResponse(id: string): Promise<boolean>;
  /** Retention: removes responses whose time is up; returns how many. */
  deleteExpiredResponses(now: number): Promise<number>;
}

export function isResponseStateStore(store: unknown): store is ResponseStateStore {
  return (
    typeof store === "object" &&
    store !== null &&
    typeof (store as Partial<ResponseStateStore>).putResponse === "function" &&
    typeof (store as Partial<ResponseStateStore>).getResponse === "function"
  );
}

export const RESPONSES_TABLE = "response_states";
/** Output item id → the response holding it, for `item_reference` inputs (the Vercel AI SDK sends them). */
export const RESPONSE_ITEMS_TABLE = "response_state_items";

/** The ids of a response's output items, to index them. */
export function outputItemIds(response: Record<string, unknown>): string[] {
  const output = Array.isArray(response.output) ? response.output : [];
  return output.flatMap((item) =>
    typeof item === "object" && item !== null && typeof (item as { id?: unknown }).id === "string"
      ? [(item as { id: string }).id]
      : [],
  );
}

/** Row of the table, the same in SQLite and PostgreSQL. */
export interface ResponseStateRow {
  id: string;
  key_name: string | null;
  created_at: number | string;
  expires_at: number | string;
  input_json: string;
  response_json: string;
}

export function toStoredResponse(row: ResponseStateRow): StoredResponse {
  return {
    id: row.id,
    keyName: row.key_name,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    input: JSON.parse(row.input_json) as unknown[],
    response: JSON.parse(row.response_json) as Record<string, unknown>,
  };
}
