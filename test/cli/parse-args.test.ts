import { describe, expect, test } from "bun:test";
import { helpText, parseArgs } from "../../src/cli/parse-args.ts";

describe("parseArgs", () => {
  test.each([
    [[], { command: "serve" }],
    [["serve"], { command: "serve" }],
    [["--config", "a.yaml"], { command: "serve", configPath: "a.yaml" }],
    [
      ["serve", "--config=/etc/x.yaml", "--host", "127.0.0.1", "--port", "9000"],
      { command: "serve", configPath: "/etc/x.yaml", host: "127.0.0.1", port: 9000 },
    ],
    [["--port=0", "serve"], { command: "serve", port: 0 }],
    [["check"], { command: "check" }],
    [["check", "--config", "x.yaml"], { command: "check", configPath: "x.yaml" }],
    [["--config", "x.yaml", "check"], { command: "check", configPath: "x.yaml" }],
    [["--version"], { command: "version" }],
    [["-v"], { command: "version" }],
    [["version"], { command: "version" }],
    [["--help"], { command: "help" }],
    [["-h"], { command: "help" }],
    [["check", "--help"], { command: "help" }],
    [["help"], { command: "help" }],
    [["check", "--probe"], { command: "check", probe: true }],
    [["--probe", "check", "--config", "x.yaml"], { command: "check", configPath: "x.yaml", probe: true }],
    [["migrate"], { command: "migrate" }],
    [["migrate", "--config=x.yaml"], { command: "migrate", configPath: "x.yaml" }],
  ] as const)("%j", (argv, expected) => {
    expect(parseArgs([...argv])).toEqual(expected);
  });

  test.each([
    [["--config"], "--config needs a value"],
    [["--config", "--port", "1"], "--config needs a value"],
    [["--config="], "--config needs a value"],
    [["--port", "http"], "--port must be 0-65535"],
    [["--port", "70000"], "--port must be 0-65535"],
    [["--port", "-1"], "--port needs a value"],
    [["--verbose"], "unknown option --verbose"],
    [["start"], "unknown command start"],
    [["serve", "check"], "unexpected argument check"],
    [["check", "--port", "1"], "--port does not apply to check"],
    [["--config", "a", "--config", "b"], "--config given twice"],
    [["serve", "--probe"], "--probe does not apply to serve"],
    [["check", "--probe=yes"], "--probe takes no value"],
    [["migrate", "--port", "1"], "--port does not apply to migrate"],
  ] as const)("%j is an error", (argv, message) => {
    const result = parseArgs([...argv]);
    expect(result).toHaveProperty("error");
    expect((result as { error: string }).error).toContain(message);
  });

  test("help text names every command and option", () => {
    const help = helpText();
    for (const word of [
      "serve",
      "check",
      "--config",
      "--host",
      "--port",
      "--version",
      "--help",
      "SWITCHBOARD_CONFIG",
    ]) {
      expect(help).toContain(word);
    }
  });
});
