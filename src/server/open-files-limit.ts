import { readFileSync } from "node:fs";

/**
 * The process's open-files limit (soft), from /proc on Linux; null elsewhere. Bun itself raises
 * the soft limit to the hard one as it starts, so the hard limit (systemd's LimitNOFILE, or
 * `ulimit -Hn`) is what bounds the connections and upstream streams the gateway can hold.
 */
export function openFilesLimit(): number | null {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((row) => row.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

/** Below this, a busy gateway (idle keep-alive clients plus upstream streams) can run out of descriptors. */
export const LOW_OPEN_FILES = 8192;
