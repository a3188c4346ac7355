/** The shape of bench/results/*.json: one benchmark run, every number with how it was taken. */
import type { MachineInfo } from "./machine-info.ts";
import type { RunSample } from "./measure-run.ts";
import type { Load, TargetName } from "./paths.ts";
import type { TtfbResult } from "./ttfb.ts";

export interface CellSummary {
  path: string;
  load: Load;
  concurrency: number;
  target: TargetName;
  runs: RunSample[];
  /** Median of each field over the runs. */
  median: Omit<RunSample, "idleBefore">;
  /** max/min of throughput over the runs. */
  spread: number;
  unreliable: boolean;
  errors: number;
}

export interface TtfbSummary {
  path: string;
  target: TargetName;
  events: number;
  runs: TtfbResult[];
  medianP50Ms: number;
  medianP90Ms: number;
  medianP99Ms: number;
}

export interface DrippedSummary {
  path: string;
  target: TargetName;
  streams: number;
  eventsPerStream: number;
  dripMs: number;
  runsCpuUsPerEvent: number[];
  medianCpuUsPerEvent: number;
  failed: number;
}

export interface OpenStreamsResult {
  path: string;
  target: TargetName;
  /** "as shipped", or the environment the process was started with. */
  variant: string;
  streams: number;
  open: number;
  failed: number;
  /** No first event when the wait ended: queued somewhere. */
  waiting: number;
  /** Time until every stream had its first event. */
  openMs: number;
  rssBeforeMb: number;
  rssOpenMb: number;
}

export interface MemorySummary {
  /** Fresh process, after /ready, before any request. */
  idleMb: Partial<Record<TargetName, number>>;
  /** Largest RSS sampled during the c=128 cells (all paths, all loads). */
  peakC128Mb: Partial<Record<TargetName, number>>;
  /** VmHWM at the end of the load matrix. */
  hwmMb: Partial<Record<TargetName, number>>;
  openStreams: OpenStreamsResult[];
}

export interface StartupSummary {
  command: string;
  runsMs: number[];
  medianMs: number;
}

export interface TargetCheck {
  name: string;
  limit: string;
  value: string;
  met: boolean | null;
  note: string;
}

export interface SupportEntry {
  target: TargetName;
  path: string;
  load: string;
  ok: boolean;
  reason?: string;
}

export interface BenchReport {
  schema: 1;
  date: string;
  quick: boolean;
  machine: MachineInfo;
  versions: Record<string, string | undefined>;
  settings: {
    durationS: number;
    reps: number;
    concurrency: number[];
    loads: Load[];
    pinning: string;
    idle: { maxBusy: number; windowMs: number; maxWaitMs: number };
    peerRuntime: string;
    switchboardCommand: string;
  };
  support: SupportEntry[];
  cells: CellSummary[];
  ttfb: TtfbSummary[];
  /** CPU per SSE event with events arriving one at a time. */
  dripped: DrippedSummary[];
  memory: MemorySummary;
  startup?: StartupSummary;
  targets: TargetCheck[];
  notes: string[];
}
