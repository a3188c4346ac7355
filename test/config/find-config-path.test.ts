import { describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { findConfigPath, SYSTEM_CONFIG_PATH } from "../../src/config/find-config-path.ts";

const local = resolve("switchboard.yaml");
const existing = (paths: string[]) => (path: string) => paths.includes(path);

describe("findConfigPath lookup order", () => {
  test("--config wins over everything, even when the file is missing", () => {
    expect(
      findConfigPath("conf/a.yaml", { SWITCHBOARD_CONFIG: "/b.yaml" }, existing([local, SYSTEM_CONFIG_PATH])),
    ).toBe(resolve("conf/a.yaml"));
  });

  test("then $SWITCHBOARD_CONFIG", () => {
    expect(findConfigPath(undefined, { SWITCHBOARD_CONFIG: "/b.yaml" }, existing([local]))).toBe("/b.yaml");
  });

  test("then ./switchboard.yaml", () => {
    expect(findConfigPath(undefined, { SWITCHBOARD_CONFIG: "" }, existing([local, SYSTEM_CONFIG_PATH]))).toBe(
      local,
    );
  });

  test("then /etc/switchboard/switchboard.yaml", () => {
    expect(findConfigPath(undefined, {}, existing([SYSTEM_CONFIG_PATH]))).toBe(
      "/etc/switchboard/switchboard.yaml",
    );
  });

  test("else null: zero-config mode", () => {
    expect(findConfigPath(undefined, {}, existing([]))).toBeNull();
  });

  test("the default existence check finds ./switchboard.yaml in the working directory", () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "sb-find-")));
    const previous = process.cwd();
    try {
      process.chdir(dir);
      writeFileSync(join(dir, "switchboard.yaml"), "{}\n");
      expect(findConfigPath(undefined, {})).toBe(join(dir, "switchboard.yaml"));
    } finally {
      process.chdir(previous);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
