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
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
  return {
    log,
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
  };
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

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = createLogger(() => {});
