/** Lower-case hex SHA-256 of a gateway key: the only form of it the resolved config keeps. */
export function hashKey(key: string): string {
  // Bun's hasher, not node:crypto: loading that module (and the streams it pulls in) costs start-up.
  return new Bun.CryptoHasher("sha256").update(key).digest("hex");
}
