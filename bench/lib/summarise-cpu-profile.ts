/** Top self-time functions of a V8/JSC `.cpuprofile` (Chrome DevTools format), as Bun writes it. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function isCpuProfile(value: unknown): value is CpuProfile {
  if (typeof value !== "object" || value === null) return false;
  const profile = value as Record<string, unknown>;
  return Array.isArray(profile.nodes) && Array.isArray(profile.samples) && Array.isArray(profile.timeDeltas);
}

export interface SelfTime {
  name: string;
  location: string;
  selfMs: number;
  share: number;
}

/** Self time per function (samples × their interval), largest first. */
export function summariseCpuProfile(profile: unknown, root = ""): { totalMs: number; top: SelfTime[] } {
  if (!isCpuProfile(profile)) throw new Error("not a .cpuprofile (nodes, samples, timeDeltas)");
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, SelfTime>();
  let totalUs = 0;
  profile.samples.forEach((id, index) => {
    // A sample's time is the gap to the next one; the last sample has none.
    const us = profile.timeDeltas[index + 1] ?? 0;
    totalUs += us;
    const frame = byId.get(id)?.callFrame;
    const name = frame?.functionName || "(anonymous)";
    const location = frame?.url ? `${frame.url.replace(root, "")}:${frame.lineNumber + 1}` : "";
    const key = `${name}@${location}`;
    const entry = totals.get(key) ?? { name, location, selfMs: 0, share: 0 };
    entry.selfMs += us / 1000;
    totals.set(key, entry);
  });
  const top = [...totals.values()].sort((a, b) => b.selfMs - a.selfMs);
  for (const entry of top) entry.share = totalUs > 0 ? (entry.selfMs * 1000) / totalUs : 0;
  return { totalMs: totalUs / 1000, top };
}
