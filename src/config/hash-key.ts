import { createHash } from "node:crypto";

/** Lower-case hex SHA-256 of a gateway key: the only form of it the resolved config keeps. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}
