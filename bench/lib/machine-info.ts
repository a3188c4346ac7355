/** What the numbers were measured on: machine, kernel, tool versions. */
import { readFileSync } from "node:fs";
import { cpus, hostname, release, totalmem } from "node:os";

export interface MachineInfo {
  host: string;
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
}

export function readMachineInfo(): MachineInfo {
  const cpuList = cpus();
  let cpuModel = cpuList[0]?.model ?? "unknown";
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match?.[1]) cpuModel = match[1].trim();
  } catch {
    // Not Linux: keep what os.cpus() said.
  }
  return {
    host: hostname(),
    cpuModel,
    cores: cpuList.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
  };
}

/** First line of a command's output, or undefined when it can't run. */
export function commandOutput(cmd: string[], cwd?: string): string | undefined {
  try {
    const result = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
    const text = `${result.stdout.toString()}${result.stderr.toString()}`.trim();
    return result.exitCode === 0 || text ? (text.split("\n")[0] ?? "").trim() : undefined;
  } catch {
    return undefined;
  }
}

export function readWrkVersion(): string | undefined {
  // `wrk -v` prints its version line and exits 1.
  return commandOutput(["wrk", "-v"])?.split(" Copyright")[0];
}
