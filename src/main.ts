#!/usr/bin/env bun
import "./boot-env.ts";
import { configSummary, describeConfig } from "./cli/describe-config.ts";
import { helpText, parseArgs } from "./cli/parse-args.ts";
import {
  ConfigError,
  findConfigPath,
  formatConfigProblems,
  loadConfigFile,
  zeroConfig,
} from "./config/load-config.ts";
import type { ResolvedConfig } from "./config/types.ts";
import { createLogger, flushLogs } from "./log/logger.ts";

declare const SWITCHBOARD_VERSION: string | undefined;
/** Embedded at build time (`--define`); "dev" when run from source. */
export const VERSION = typeof SWITCHBOARD_VERSION === "string" ? SWITCHBOARD_VERSION : "0.1.0-dev";

function loadConfig(configPath: string | undefined): ResolvedConfig {
  const path = findConfigPath(configPath, process.env);
  return path ? loadConfigFile(path, process.env) : zeroConfig(process.env);
}

function printConfigError(error: unknown): void {
  if (error instanceof ConfigError) {
    // "2 config problems in /etc/switchboard/switchboard.yaml", then `field (line N): problem` each.
    process.stderr.write(`switchboard: ${error.message}\n${formatConfigProblems(error)}\n`);
  } else {
    process.stderr.write(`switchboard: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if ("error" in args) {
    process.stderr.write(`switchboard: ${args.error}\n\n${helpText()}\n`);
    return 2;
  }
  if (args.command === "help") {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  if (args.command === "version") {
    process.stdout.write(`switchboard ${VERSION}\n`);
    return 0;
  }

  let config: ResolvedConfig;
  try {
    config = loadConfig(args.configPath);
  } catch (error) {
    printConfigError(error);
    return 1;
  }
  if (args.command === "check") {
    process.stdout.write(`${describeConfig(config)}\n`);
    if (!args.probe) return 0;
    const { formatProbes, probeStores } = await import("./cli/probe-stores.ts");
    const probes = await probeStores(config);
    process.stdout.write(`${formatProbes(probes)}\n`);
    return probes.every((p) => p.ok) ? 0 : 1;
  }
  if (args.command === "migrate") return migrate(config);
  return serve(config, args);
}

/** `switchboard migrate`: the only command that changes the usage store's schema. */
async function migrate(config: ResolvedConfig): Promise<number> {
  const { migrateUsageStore } = await import("./usage/usage-store.ts");
  const { redactUrl } = await import("./log/redact-url.ts");
  const store = config.usage.store;
  const target =
    store.kind === "postgres" ? redactUrl(store.url) : store.kind === "sqlite" ? store.path : "off";
  try {
    const result = await migrateUsageStore(store);
    if (!result) {
      process.stdout.write("switchboard: usage.store is off; nothing to migrate\n");
    } else if (result.from === result.to) {
      process.stdout.write(
        `switchboard: usage store ${target} is at schema version ${result.to}; nothing to do\n`,
      );
    } else {
      process.stdout.write(
        `switchboard: usage store ${target} migrated from schema version ${result.from} to ${result.to}\n`,
      );
    }
    return 0;
  } catch (error) {
    process.stderr.write(
      `switchboard: migrating usage store ${target} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

async function serve(config: ResolvedConfig, args: { host?: string; port?: number }): Promise<number> {
  const logger = createLogger();
  if (config.providers.length === 0) {
    process.stderr.write(
      "switchboard: no provider configured. Set a provider key (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, …) or write a switchboard.yaml (see examples/switchboard.yaml).\n",
    );
  }
  if (!config.auth.masterKeySha256 && config.auth.keys.length === 0) {
    logger.warn("no gateway keys configured: the gateway is open to anyone who can reach it");
  }
  for (const warning of config.warnings ?? []) logger.warn("config warning", { warning });
  // Loaded here, not at the top: `--version`, `--help` and `check` need none of the server.
  const { startGateway } = await import("./server/start.ts");
  const gateway = await startGateway(config, { version: VERSION, logger, host: args.host, port: args.port });
  const { openFilesLimit, LOW_OPEN_FILES } = await import("./server/open-files-limit.ts");
  const openFiles = openFilesLimit();
  logger.info("started", {
    version: VERSION,
    url: gateway.url,
    port: gateway.port,
    config: config.source,
    open_files_limit: openFiles,
    summary: configSummary(config),
  });
  if (openFiles !== null && openFiles < LOW_OPEN_FILES) {
    logger.warn(
      "open-files limit is low: raise the hard limit (LimitNOFILE=65536 in the systemd unit, ulimit -Hn)",
      {
        open_files_limit: openFiles,
      },
    );
  }

  const exited = Promise.withResolvers<number>();
  const shutdown = (signal: string) => {
    logger.info("draining", { signal, in_flight: gateway.runtime.inFlight });
    gateway.stop().then(
      () => {
        logger.info("stopped");
        flushLogs();
        exited.resolve(0);
      },
      (error: unknown) => {
        logger.error("stop failed", { error: String(error) });
        flushLogs();
        exited.resolve(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGHUP", () => {
    if (!config.source) {
      logger.warn("SIGHUP ignored: running without a config file (zero-config mode)");
      return;
    }
    try {
      const next = loadConfigFile(config.source, process.env);
      gateway.reload(next);
      config = next;
      logger.info("config reloaded", { config: next.source, summary: configSummary(next) });
    } catch (error) {
      const problems = error instanceof ConfigError ? error.problems : [{ message: String(error) }];
      gateway.runtime.lastReload = {
        at: Date.now(),
        ok: false,
        problems: problems.map((p) => ("path" in p && p.path ? `${p.path}: ${p.message}` : p.message)),
      };
      logger.error("config reload rejected; the previous config stays in force", { problems });
    }
  });
  return exited.promise;
}

if (import.meta.main) {
  main(Bun.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `switchboard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

export { main };
