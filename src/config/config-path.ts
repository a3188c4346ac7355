/** A location inside the config: map keys and list indexes, from the root. */
export type ConfigPath = ReadonlyArray<string | number>;

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * `providers.openai.timeout`, `auth.keys[0].rpm`; a key that would blur the dots
 * (`gpt-4.1`, `a b`) is quoted: `usage.prices["gpt-4.1"].input`.
 */
export function formatConfigPath(path: ConfigPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
