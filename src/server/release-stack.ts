import { readFileSync } from "node:fs";

/**
 * Gives back the main thread's stack pages that a deep recursion touched once.
 *
 * JavaScriptCore's `JSON.parse` recurses while the stack allows (about 450 bytes a level), so one
 * request body nested 20,000 levels deep touches the whole 5 MB the engine lets a thread use,
 * before the gateway can refuse it for `server.json_depth`; a fresh process uses under 0.3 MB.
 * The kernel keeps those pages resident for the life of the process: a high-water mark of up to
 * 5 MB kept forever after one hostile body (docs/performance.md, "Footprint").
 *
 * Called by the idle collector, from a timer (the stack is shallow then): when the stack has grown
 * past `keepBytes` below where the program's frames start (`startstack` in /proc/self/stat: below
 * it only main()'s frames and the event loop's; above it argv, the environment and the auxiliary
 * vector, which can be large), everything further down is released with `madvise(MADV_DONTNEED)`
 * (dead frames; the pages come back zeroed if touched again). libc is
 * reached through `bun:ffi`, loaded the first time there is something to release, never
 * otherwise. Linux only; anywhere else, or if libc cannot be loaded, it does nothing.
 *
 * Returns the bytes released (0 when there was nothing to release).
 */
export function releaseDeepStack(keepBytes = KEEP_BYTES): number {
  if (process.platform !== "linux" || unavailable) return 0;
  const range = stackRange();
  if (!range) return 0;
  const [low, high] = range;
  const frames = startOfFrames();
  // Without startstack, keep the whole top of the mapping (argv and env included) plus keepBytes.
  const top = (frames !== null && frames > low && frames <= high ? frames : high) - BigInt(keepBytes);
  if (top - low < BigInt(MIN_RELEASE_BYTES)) return 0;
  const madvise = loadMadvise();
  if (!madvise) return 0;
  return madvise(low, top - low, MADV_DONTNEED) === 0 ? Number(top - low) : 0;
}

/** The top of the stack kept as it is: the event loop and this call use far less (a fresh process has under 0.3 MB of stack resident). */
const KEEP_BYTES = 512 * 1024;
/** Below this much grown stack, nothing is done (a process that saw no deep recursion). */
const MIN_RELEASE_BYTES = 512 * 1024;
const MADV_DONTNEED = 4;

let unavailable = false;
type Madvise = (address: bigint, length: bigint, advice: number) => number;
let madviseFn: Madvise | undefined;

/**
 * Where the main thread's frames begin (`startstack`, field 28 of /proc/self/stat: the address of
 * argc, below the environment and argv strings); null if unreadable.
 */
function startOfFrames(): bigint | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // Field 2 (the command) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const value = fields[28 - 3];
    return value && /^\d+$/.test(value) ? BigInt(value) : null;
  } catch {
    return null;
  }
}

/** `[low, high)` of the main thread's stack mapping, from /proc/self/maps. */
function stackRange(): [bigint, bigint] | null {
  let maps: string;
  try {
    maps = readFileSync("/proc/self/maps", "utf8");
  } catch {
    unavailable = true;
    return null;
  }
  const end = maps.indexOf(" [stack]");
  if (end === -1) return null;
  const line = maps.slice(maps.lastIndexOf("\n", end) + 1, end);
  const match = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
  return match ? [BigInt(`0x${match[1]}`), BigInt(`0x${match[2]}`)] : null;
}

function loadMadvise(): Madvise | undefined {
  if (madviseFn || unavailable) return madviseFn;
  try {
    const { dlopen, FFIType } = require("bun:ffi") as typeof import("bun:ffi");
    for (const name of ["libc.so.6", "libc.so"]) {
      try {
        const lib = dlopen(name, {
          madvise: { args: [FFIType.u64, FFIType.u64, FFIType.i32], returns: FFIType.i32 },
        });
        madviseFn = lib.symbols.madvise as unknown as Madvise;
        return madviseFn;
      } catch {
        // Try the next name (musl has no libc.so.6).
      }
    }
  } catch {
    // No FFI here.
  }
  unavailable = true;
  return undefined;
}
