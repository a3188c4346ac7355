/**
 * JSON lines on stdout, one object per line (journald-friendly). Never pass secrets or bodies
 * here: callers log names, ids, counts and timings only.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(write: (line: string) => void = writeStdout): Logger {
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    // Built as text around one stringify of the fields: no copy of the fields object per line.
    const head = `{"time":"${isoNow()}","level":"${level}","msg":${JSON.stringify(msg)}`;
    const rest = fields ? JSON.stringify(fields) : "{}";
    write(rest.length > 2 ? `${head},${rest.slice(1)}\n` : `${head}}\n`);
  };
  return {
    log,
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
  };
}

let lastMs = 0;
let lastIso = "";
/** The current time as ISO 8601, formatted at most once per millisecond. */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

const stdoutWriter = Bun.stdout.writer();

function writeStdout(line: string): void {
  stdoutWriter.write(line);
  // Flush on the next tick so a burst of request lines costs one syscall.
  scheduleFlush();
}

let flushScheduled = false;
function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(() => {
    flushScheduled = false;
    stdoutWriter.flush();
  });
}

/** Flush pending log lines (on exit). */
export function flushLogs(): void {
  stdoutWriter.flush();
}

const ignore = (): void => {};

/** A logger that drops everything, without formatting anything (tests, benchmarks). */
export const silentLogger: Logger = { log: ignore, info: ignore, warn: ignore, error: ignore };
