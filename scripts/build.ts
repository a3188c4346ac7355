#!/usr/bin/env bun
/**
 * Compile Switchboard into one self-contained executable.
 *
 *   bun run build                      dist/switchboard for this platform
 *   bun run build:all                  dist/switchboard-bun-linux-x64, -bun-linux-arm64, -bun-darwin-arm64
 *   bun scripts/build.ts --target bun-linux-x64-musl [--outfile PATH] [--entry PATH]
 */
import { renameSync, rmSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { bundleConsole } from "../src/server/console/bundle-console.ts";

export const ROOT = resolve(import.meta.dir, "..");
export const DEFAULT_ENTRY = join(ROOT, "src/main.ts");
export const DEFAULT_OUTFILE = join(ROOT, "dist/switchboard");

/** What `build:all` ships (SPEC §8). */
export const RELEASE_TARGETS = ["bun-linux-x64", "bun-linux-arm64", "bun-darwin-arm64"] as const;

export interface BuildBinaryOptions {
  entry?: string;
  outfile?: string;
  /** A `bun-<os>-<arch>` target; the host platform when absent. */
  target?: Bun.Build.CompileTarget;
  /** Defaults to `readVersion()`. */
  version?: string;
}

export interface BuiltBinary {
  path: string;
  version: string;
  bytes: number;
  ms: number;
}

/** `<package.json version>+<git short sha>`, or the bare version outside a git checkout. */
export async function readVersion(root = ROOT): Promise<string> {
  const pkg: unknown = await Bun.file(join(root, "package.json")).json();
  const version =
    typeof pkg === "object" && pkg !== null && "version" in pkg && typeof pkg.version === "string"
      ? pkg.version
      : "0.0.0";
  const sha = readGitShortSha(root);
  return sha ? `${version}+${sha}` : version;
}

function readGitShortSha(root: string): string | undefined {
  try {
    const git = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: root, stderr: "ignore" });
    const sha = git.stdout.toString().trim();
    return git.exitCode === 0 && /^[0-9a-f]+$/.test(sha) ? sha : undefined;
  } catch {
    // No git on PATH (e.g. a source tarball): the version alone is still meaningful.
    return undefined;
  }
}

/**
 * One `bun build --compile` with the flags that measured fastest to start (NOTES: ≈27 ms with
 * minify + sourcemap + bytecode, which needs ESM). Throws with the bundler's messages on failure.
 */
export async function buildBinary(options: BuildBinaryOptions = {}): Promise<BuiltBinary> {
  const entry = options.entry ?? DEFAULT_ENTRY;
  const outfile = options.outfile ?? DEFAULT_OUTFILE;
  const version = options.version ?? (await readVersion());
  await mkdir(dirname(outfile), { recursive: true });

  const started = performance.now();
  // The console's browser code is bundled first and embedded as a file (read on first visit);
  // it and the docs page's Scalar bundle get a gzip copy made here, embedded too, so that serving
  // them compresses nothing and keeps nothing (src/server/static-asset.ts).
  const consoleBundle = join(ROOT, ".cache", "console", "app.js");
  await writeWhole(consoleBundle, await bundleConsole());
  const consoleGzip = await writeGzipCopy(consoleBundle, join(ROOT, ".cache", "console", "app.js.gz"));
  const scalarGzip = await writeGzipCopy(SCALAR_BUNDLE, join(ROOT, ".cache", "docs", "scalar.js.gz"));
  const result = await Bun.build({
    plugins: [embedConsoleBundle(consoleBundle, consoleGzip), embedScalarGzip(scalarGzip)],
    entrypoints: [entry],
    target: "bun",
    format: "esm",
    minify: true,
    sourcemap: "linked",
    bytecode: true,
    // Each dynamic import its own chunk inside the executable, loaded when first imported: the
    // docs page's assets, the stores, the `yaml` library and the server itself (for `check` and
    // `--version`) are not read at start (docs/performance.md, "Chunks").
    splitting: true,
    define: {
      // `--compile` alone does not mean production (NOTES); this is what `--production` defines.
      "process.env.NODE_ENV": JSON.stringify("production"),
      SWITCHBOARD_VERSION: JSON.stringify(version),
    },
    compile: {
      outfile,
      ...(options.target ? { target: options.target } : {}),
      // The binary reads its config file and the environment, never a stray .env or bunfig.toml
      // from whatever directory it was started in.
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
    throw: false,
  });
  const ms = performance.now() - started;
  if (!result.success) {
    const messages = result.logs.map((log) => String(log)).join("\n");
    throw new Error(`build of ${entry} failed:\n${messages}`);
  }
  // The executable embeds its own source maps (stack traces point into src/ without them, chunks
  // included); the side files would only suggest the binary needs company.
  for (const output of result.outputs) if (output.kind === "sourcemap") rmSync(output.path, { force: true });
  return { path: outfile, version, bytes: statSync(outfile).size, ms };
}

/** The docs page's UI bundle (src/server/docs.ts embeds it with `type: "file"`). */
const SCALAR_BUNDLE = join(ROOT, "node_modules/@scalar/api-reference/dist/browser/standalone.js");

/** Writes `source` gzip-compressed (level 9: done once, at build time) to `target`; returns it. */
async function writeGzipCopy(source: string, target: string): Promise<string> {
  await writeWhole(target, Bun.gzipSync(await Bun.file(source).bytes(), { level: 9 }));
  return target;
}

/** Written beside and renamed into place: a build running at the same time never embeds half a file. */
async function writeWhole(target: string, data: string | Uint8Array): Promise<void> {
  const partial = `${target}.${process.pid}.partial`;
  await Bun.write(partial, data);
  renameSync(partial, target);
}

/**
 * Replaces src/server/console/embedded-bundle.ts (null: build from source on first visit) with
 * imports of the bundled file and its gzip copy, `type: "file"`, so `--compile` carries them
 * inside the executable.
 */
function embedConsoleBundle(bundlePath: string, gzipPath: string): Bun.BunPlugin {
  return {
    name: "switchboard-console-bundle",
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]server[\\/]console[\\/]embedded-bundle\.ts$/ }, () => ({
        contents: [
          `import bundle from ${JSON.stringify(bundlePath)} with { type: "file" };`,
          `import gzip from ${JSON.stringify(gzipPath)} with { type: "file" };`,
          "export const EMBEDDED_CONSOLE_BUNDLE: string | null = bundle;",
          "export const EMBEDDED_CONSOLE_BUNDLE_GZIP: string | null = gzip;",
          "",
        ].join("\n"),
        loader: "ts",
      }));
    },
  };
}

/** Replaces src/server/embedded-scalar-gzip.ts (null from source) with an import of the gzip copy. */
function embedScalarGzip(gzipPath: string): Bun.BunPlugin {
  return {
    name: "switchboard-scalar-gzip",
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]server[\\/]embedded-scalar-gzip\.ts$/ }, () => ({
        contents: `import gzip from ${JSON.stringify(gzipPath)} with { type: "file" };\nexport const EMBEDDED_SCALAR_GZIP: string | null = gzip;\n`,
        loader: "ts",
      }));
    },
  };
}

function describe(built: BuiltBinary, label: string): string {
  const mib = (built.bytes / 1024 / 1024).toFixed(1);
  return `${label}: ${built.path} (${mib} MiB) in ${(built.ms / 1000).toFixed(1)} s, version ${built.version}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Bun.argv.slice(2),
    options: {
      all: { type: "boolean", default: false },
      target: { type: "string" },
      entry: { type: "string" },
      outfile: { type: "string" },
    },
  });
  const version = await readVersion();
  const entry = values.entry ? resolve(values.entry) : DEFAULT_ENTRY;

  if (values.all) {
    for (const target of RELEASE_TARGETS) {
      const built = await buildBinary({
        entry,
        target,
        version,
        outfile: join(ROOT, `dist/switchboard-${target}`),
      });
      console.log(describe(built, target));
    }
    return;
  }
  const target = values.target as Bun.Build.CompileTarget | undefined;
  const outfile = values.outfile
    ? resolve(values.outfile)
    : target
      ? join(ROOT, `dist/switchboard-${target}`)
      : DEFAULT_OUTFILE;
  const built = await buildBinary({ entry, outfile, target, version });
  console.log(describe(built, target ?? "host"));
}

if (import.meta.main) {
  await main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
