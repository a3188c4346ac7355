import { toFlag, toWholeNumber } from "./coerce.ts";
import { hashKey } from "./hash-key.ts";
import type { ProblemList } from "./problem-list.ts";
import type { RawConfig } from "./schema.ts";
import type { GatewayKey, ResolvedConfig } from "./types.ts";

/** The `auth:` section with every key reduced to its SHA-256, the only form kept in memory. */
export function resolveAuth(raw: RawConfig["auth"], problems: ProblemList): ResolvedConfig["auth"] {
  const auth: ResolvedConfig["auth"] = { keys: [] };
  if (raw?.master_key !== undefined && raw.master_key_sha256 !== undefined) {
    problems.add(["auth", "master_key_sha256"], "set either master_key or master_key_sha256, not both");
  } else if (raw?.master_key) {
    auth.masterKeySha256 = hashKey(raw.master_key);
  } else if (raw?.master_key_sha256) {
    auth.masterKeySha256 = raw.master_key_sha256.toLowerCase();
  }
  // An empty master_key (`${SWITCHBOARD_MASTER_KEY:-}`) means "no master key".

  const names = new Map<string, number>();
  const hashes = new Map<string, number>();
  (raw?.keys ?? []).forEach((entry, i) => {
    const path = ["auth", "keys", i];
    if (names.has(entry.name)) {
      // The name itself is not repeated: it may come from the environment, and the line shows it.
      problems.add([...path, "name"], `is already the name of auth.keys[${names.get(entry.name)}]`);
    }
    names.set(entry.name, i);
    // "master" names the master key in usage rows, logs and stored responses: a virtual key may not take it.
    if (entry.name === "master") problems.add([...path, "name"], "`master` is reserved for the master key");

    let sha256: string | undefined;
    if (entry.key !== undefined && entry.key_sha256 !== undefined) {
      problems.add([...path, "key_sha256"], "set either key or key_sha256, not both");
    } else if (entry.key !== undefined) {
      if (entry.key === "") problems.add([...path, "key"], "is empty");
      else sha256 = hashKey(entry.key);
    } else if (entry.key_sha256 !== undefined) {
      sha256 = entry.key_sha256.toLowerCase();
    } else {
      problems.add(path, "needs key or key_sha256");
    }
    if (sha256 === undefined) return;
    if (sha256 === auth.masterKeySha256) {
      problems.add(path, "this key is the master key; give each key its own secret");
      return;
    }
    const other = hashes.get(sha256);
    if (other !== undefined) {
      problems.add(path, `same secret as auth.keys[${other}]; each key needs its own`);
      return;
    }
    hashes.set(sha256, i);

    const key: GatewayKey = { name: entry.name, sha256, passthrough: toFlag(entry.passthrough, false) };
    if (entry.models !== undefined) key.models = entry.models;
    if (entry.rpm !== undefined)
      key.rpm = toWholeNumber(entry.rpm, 1, { min: 1 }, problems, [...path, "rpm"]);
    if (entry.tpm !== undefined)
      key.tpm = toWholeNumber(entry.tpm, 1, { min: 1 }, problems, [...path, "tpm"]);
    if (entry.max_concurrent !== undefined)
      key.maxConcurrent = toWholeNumber(entry.max_concurrent, 1, { min: 1 }, problems, [
        ...path,
        "max_concurrent",
      ]);
    auth.keys.push(key);
  });
  return auth;
}
