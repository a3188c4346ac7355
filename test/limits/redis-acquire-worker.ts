/**
 * Child process for the two-process test: connects, says "ready", waits for "go" on stdin, fires
 * N acquires for the key named on the command line in waves of 10 (so the two processes' calls
 * interleave in Redis), prints how many were admitted.
 * Usage: bun redis-acquire-worker.ts <redis-url> <prefix> <key-name> <rpm> <count>
 */
import { RedisRateLimiter } from "../../src/limits/redis-limiter.ts";

const [url, prefix, name, rpm, count] = process.argv.slice(2) as [string, string, string, string, string];
const limiter = new RedisRateLimiter(url, { prefix, commandTimeoutMs: 1000 });
const key = { name, sha256: "00", passthrough: false, rpm: Number(rpm) };
await limiter.ready(); // connection up
process.stdout.write("ready\n");
for await (const chunk of Bun.stdin.stream()) {
  if (new TextDecoder().decode(chunk).includes("go")) break;
}
let admitted = 0;
for (let sent = 0; sent < Number(count); sent += 10) {
  const wave = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire(key, 0)));
  admitted += wave.filter((d) => d.allowed).length;
}
process.stdout.write(`admitted ${admitted}\n`);
await limiter.close();
