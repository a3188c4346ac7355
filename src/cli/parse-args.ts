/** What the command line asked for (README, "Command line"). */
export type ParsedArgs = {
  command: "serve" | "check" | "migrate" | "version" | "help";
  configPath?: string;
  /** `check --probe`: connect to each configured store and say what was found. */
  probe?: boolean;
  host?: string;
  port?: number;
};

const COMMANDS = new Set(["serve", "check", "migrate", "version", "help"]);
/** Options without a value. */
const FLAGS = new Set(["--probe"]);
const OPTIONS_BY_COMMAND: Record<ParsedArgs["command"], ReadonlySet<string>> = {
  serve: new Set(["--config", "--host", "--port"]),
  check: new Set(["--config", "--probe"]),
  migrate: new Set(["--config"]),
  version: new Set(),
  help: new Set(),
};

/**
 * Parses the arguments after the executable (`process.argv.slice(2)`):
 * `[serve] [--config PATH] [--host H] [--port N]`, `check [--config PATH]`,
 * `--version`/`-v`/`version`, `--help`/`-h`/`help`. `--opt=value` works for every option.
 */
export function parseArgs(argv: string[]): ParsedArgs | { error: string } {
  let command: ParsedArgs["command"] | undefined;
  const options = new Map<string, string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return { command: "help" };
    if (arg === "--version" || arg === "-v") return { command: "version" };

    if (arg.startsWith("-")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (FLAGS.has(name)) {
        if (eq !== -1) return { error: `${name} takes no value` };
        if (options.has(name)) return { error: `${name} given twice` };
        options.set(name, "");
        continue;
      }
      if (!OPTIONS_BY_COMMAND.serve.has(name)) return { error: `unknown option ${name}` };
      let value: string | undefined;
      if (eq !== -1) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        // `--config --port 1` is a forgotten value, not a path named `--port`.
        if (value === undefined || value.startsWith("-")) return { error: `${name} needs a value` };
        i++;
      }
      if (value === "") return { error: `${name} needs a value` };
      if (options.has(name)) return { error: `${name} given twice` };
      options.set(name, value);
      continue;
    }

    if (command !== undefined) return { error: `unexpected argument ${arg}` };
    if (!COMMANDS.has(arg)) return { error: `unknown command ${arg} (expected serve, check or migrate)` };
    command = arg as ParsedArgs["command"];
  }

  const resolved = command ?? "serve";
  for (const name of options.keys()) {
    if (!OPTIONS_BY_COMMAND[resolved].has(name)) return { error: `${name} does not apply to ${resolved}` };
  }

  const result: ParsedArgs = { command: resolved };
  const configPath = options.get("--config");
  if (configPath !== undefined) result.configPath = configPath;
  if (options.has("--probe")) result.probe = true;
  const host = options.get("--host");
  if (host !== undefined) result.host = host;
  const port = options.get("--port");
  if (port !== undefined) {
    if (!/^[0-9]+$/.test(port) || Number(port) > 65535)
      return { error: `--port must be 0-65535, got ${port}` };
    result.port = Number(port);
  }
  return result;
}

export function helpText(): string {
  return `Switchboard: an LLM gateway for OpenAI- and Anthropic-protocol clients.

Usage:
  switchboard [serve] [--config PATH] [--host H] [--port N]   start the gateway
  switchboard check [--config PATH] [--probe]                  validate the config, print the resolved routes;
                                                               --probe: connect to each store, say what it found
  switchboard migrate [--config PATH]                          create or upgrade the usage store's tables
                                                               (run once per release, as a role that may)
  switchboard --version | -v                                   print the version
  switchboard --help | -h                                      print this help

Options:
  --config PATH   config file (default: $SWITCHBOARD_CONFIG, ./switchboard.yaml,
                  /etc/switchboard/switchboard.yaml, else zero-config from provider key variables)
  --host H        listen address, overrides server.host (default 0.0.0.0)
  --port N        listen port, overrides server.port (default 8080)

Zero-config: with no config file, every provider whose key variable is set is enabled
(OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, GROQ_API_KEY, ...; OLLAMA_BASE_URL for Ollama).
Exit status: 0 on success, 1 on a bad config, 2 on bad arguments.
`;
}
