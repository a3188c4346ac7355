// deploy/nginx/switchboard.conf is valid nginx, and the cluster tests use its proxy settings.
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NGINX, nginxLocationBlock } from "./cluster-harness.ts";

const EXAMPLE = join(import.meta.dir, "../../deploy/nginx/switchboard.conf");

test("the cluster tests proxy exactly as the deploy example does", () => {
  const example = readFileSync(EXAMPLE, "utf8");
  const directives = nginxLocationBlock()
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.endsWith(";"));
  expect(directives.length).toBeGreaterThan(5);
  for (const directive of directives) expect(example).toContain(directive);
});

test.skipIf(!NGINX)("nginx -t accepts the deploy example (TLS lines aside)", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-nginx-"));
  try {
    // No certificate here: the example without its TLS lines, on a plain port.
    const example = readFileSync(EXAMPLE, "utf8")
      .replace(/listen 443 ssl http2;/, "listen 127.0.0.1:18443;")
      .replace(/^\s*ssl_certificate\S* .*$/gm, "");
    writeFileSync(join(dir, "switchboard.conf"), example);
    writeFileSync(
      join(dir, "nginx.conf"),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  include ${dir}/switchboard.conf;\n}\n`,
    );
    const result = Bun.spawnSync([NGINX!, "-t", "-p", dir, "-c", join(dir, "nginx.conf")]);
    const output = result.stderr.toString();
    expect(output).toContain("syntax is ok");
    expect(result.exitCode).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
