// Serving the docs page's and the console's bundles (src/server/static-asset.ts): the gzip copy
// embedded at build time is served as it is, from the file, every time; from source the copy is
// made once; a client that does not accept gzip gets the file itself.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acceptsGzip, builtAsset, fileAsset, serveAsset } from "../../src/server/static-asset.ts";

const dir = mkdtempSync(join(tmpdir(), "switchboard-asset-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `console.log(${JSON.stringify("x".repeat(2000))});\n`;
const scriptPath = join(dir, "app.js");
writeFileSync(scriptPath, SCRIPT);
const HEADERS = { "content-type": "text/javascript; charset=utf-8" };
const request = (encoding: string) =>
  new Request("http://localhost/app.js", { headers: { "accept-encoding": encoding } });

describe("serveAsset", () => {
  test("an embedded gzip copy is served byte for byte, with the asset's headers", async () => {
    // A copy that is not what compressing the file would give: proves it is the file that is sent.
    const copy = Bun.gzipSync(new TextEncoder().encode(SCRIPT), { level: 1 });
    const copyPath = join(dir, "app.js.gz");
    writeFileSync(copyPath, copy);
    const response = await serveAsset(request("gzip, br"), fileAsset(scriptPath, copyPath), HEADERS);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("vary")).toBe("accept-encoding");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(copy);
  });

  test("without a copy (from source) the file is compressed once, on the first request", async () => {
    const asset = fileAsset(scriptPath, null);
    const first = await asset.gzip();
    expect(await asset.gzip()).toBe(first);
    const response = await serveAsset(request("gzip"), asset, HEADERS);
    expect(new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await response.arrayBuffer())))).toBe(
      SCRIPT,
    );
  });

  test("a client that does not accept gzip gets the file as it is", async () => {
    const response = await serveAsset(request("identity"), fileAsset(scriptPath, null), HEADERS);
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.text()).toBe(SCRIPT);
  });

  test("a built asset is built once; a failed build is tried again", async () => {
    let builds = 0;
    const asset = builtAsset(async () => {
      builds += 1;
      if (builds === 1) throw new Error("bundler failed");
      return SCRIPT;
    });
    await expect(asset.plain()).rejects.toThrow("bundler failed");
    const response = await serveAsset(request("gzip"), asset, HEADERS);
    expect(new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await response.arrayBuffer())))).toBe(
      SCRIPT,
    );
    await asset.plain();
    expect(builds).toBe(2);
  });
});

describe("acceptsGzip", () => {
  test.each([
    ["gzip", true],
    ["gzip, deflate, br", true],
    ["br;q=1.0, gzip;q=0.8", true],
    ["GZIP", true],
    ["*", true],
    ["identity, *;q=0.5", true],
    ["gzip;q=0", false],
    ["gzip;q=0.000", false],
    ["*;q=0", false],
    ["gzip;q=0, *", false],
    ["*, gzip;q=0", false],
    ["identity", false],
    ["br", false],
    ["x-gzip-ish", false],
    ["", false],
  ])("%p → %p", (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  test("no header: plain", () => {
    expect(acceptsGzip(null)).toBe(false);
  });
});
