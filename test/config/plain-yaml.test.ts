// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config text with literal ${VAR} references
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { isPlainYaml, parsePlainYaml } from "../../src/config/plain-yaml.ts";

const ROOT = join(import.meta.dir, "../..");

/** The reference reading (the library, duplicate keys as errors), or the error's first line. */
function libraryReading(text: string): { value: unknown } | { error: string } {
  try {
    return { value: parse(text, { uniqueKeys: true }) };
  } catch (error) {
    return { error: (error as Error).message.split("\n")[0] ?? "" };
  }
}

/** Every YAML text the project ships: the example config, the deploy config, docs' yaml blocks. */
function shippedYaml(): { name: string; text: string }[] {
  const texts = [
    {
      name: "examples/switchboard.yaml",
      text: readFileSync(join(ROOT, "examples/switchboard.yaml"), "utf8"),
    },
    { name: "deploy/switchboard.yaml", text: readFileSync(join(ROOT, "deploy/switchboard.yaml"), "utf8") },
  ];
  const pages = ["README.md", ...readdirSync(join(ROOT, "docs")).map((file) => `docs/${file}`)];
  for (const page of pages.filter((name) => name.endsWith(".md"))) {
    const markdown = readFileSync(join(ROOT, page), "utf8");
    for (const [index, block] of [...markdown.matchAll(/```ya?ml\n([\s\S]*?)```/g)].entries()) {
      texts.push({ name: `${page} yaml block ${index + 1}`, text: block[1] ?? "" });
    }
  }
  return texts;
}

describe("the fast path reads the shipped configs", () => {
  test("the example and deploy configs take it, and read exactly as the library reads them", () => {
    for (const name of ["examples/switchboard.yaml", "deploy/switchboard.yaml"]) {
      const text = readFileSync(join(ROOT, name), "utf8");
      expect({ name, plain: isPlainYaml(text) }).toEqual({ name, plain: true });
      expect(parsePlainYaml(text)).toEqual(libraryReading(text) as { value: unknown });
    }
  });

  test("every yaml block of the docs it accepts reads as the library reads it", () => {
    const blocks = shippedYaml();
    let accepted = 0;
    for (const { name, text } of blocks) {
      const fast = parsePlainYaml(text);
      if (!fast) continue;
      accepted++;
      expect({ name, reading: fast }).toEqual({ name, reading: libraryReading(text) as { value: unknown } });
    }
    // Most of them are plain: a scan that refused everything would pass the loop above.
    expect(accepted).toBeGreaterThan(blocks.length / 2);
  });
});

describe("what the scan refuses (the library reads it instead)", () => {
  const refused: [string, string][] = [
    ["a duplicate top-level key", "a: 1\nb: 2\na: 3\n"],
    [
      "a duplicate nested key",
      "providers:\n  openai:\n    type: openai\n  groq:\n    type: openai\n  openai:\n    type: x\n",
    ],
    ["a duplicate key in a sequence item's mapping", "keys:\n  - name: a\n    rpm: 1\n    name: b\n"],
    ["a duplicate key on the dash line's mapping", "- a: 1\n  a: 2\n"],
    ["a quoted and a plain spelling of one key", "a: 1\n'a': 2\n"],
    ["a duplicate key in a flow mapping", "headers: { X-A: 1, X-A: 2 }\n"],
    ["a nested flow mapping", "a: { b: { c: 1 } }\n"],
    ["a flow mapping over several lines", "a: {\n  b: 1 }\n"],
    ["a merge key", "base: &b\n  x: 1\nc:\n  <<: *b\n"],
    ["an anchor and an alias", "a: &x 1\nb: *x\n"],
    ["a tag", "a: !!str 1\n"],
    ["an explicit key", "? a\n: 1\n"],
    ["a second document", "a: 1\n---\nb: 2\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["numeric keys, which may repeat under two spellings", "1: a\n01: b\n"],
    ["boolean and null keys", "true: a\nTrue: b\n"],
    ["a __proto__ key", "__proto__: 1\n"],
    ["a quoted value running over two lines", 'a: "one\n  b: two"\nb: 3\n'],
    ["a flow sequence over two lines", "a: [1,\n  2]\n"],
    ["a tab in the indentation", "a:\n\tb: 1\n"],
    ["a tab after a key (the same key twice)", "a:\t1\na:\t2\n"],
    ["a flow collection used as a key", "[a]: 1\n"],
  ];
  for (const [name, text] of refused) {
    test(name, () => {
      expect(isPlainYaml(text)).toBe(false);
      expect(parsePlainYaml(text)).toBeUndefined();
    });
  }

  test("a comment may say anything", () => {
    const text = "# quote globs starting with *, merge with << and &anchors: { a: 1, a: 2 }\na: 1 # b: *x\n";
    expect(parsePlainYaml(text)).toEqual({ value: { a: 1 } });
  });

  test("the same key in sibling mappings, sequence items and nested levels is no duplicate", () => {
    const text = [
      "---",
      "providers:",
      "  openai:",
      "    type: openai",
      "    headers: { X-A: 1, X-B: 2 }",
      "  groq:",
      "    type: openai",
      "keys:",
      "- name: a",
      "  models: [gpt-4o, 'it''s']",
      "- name: b",
      "  type: x",
      "type: top",
      "",
    ].join("\n");
    expect(isPlainYaml(text)).toBe(true);
    expect(parsePlainYaml(text)).toEqual(libraryReading(text) as { value: unknown });
  });
});

// Texts a review found where the first version of the scan was fooled (a quote `''` hiding the
// rest of a line, a quoted `}` ending a flow mapping early, a BOM, a lone CR, tabs on blank
// lines, a comment before a value, `key: x:`, indentation indicators, signed hex, null keys in
// flow sequences, a leading `,`, flow collections as keys, NUL and lone surrogates).
const REVIEWED = [
  "'a'' #': {b: 1, b: 2}\n",
  "'a'' #':\t1\n'a'' #':\t2\n",
  "'a'' #': &x\n  b: 1\n'c'' #': {<<: *x}\n",
  "'a'' #': !!float 1\n",
  "'x'' #': {a: 1,\n  a: 2}\n",
  "'it''s # fine': {b: 1, b: 2}\n",
  "k: { a: '}', a: 2 }\n",
  "k: { a: 'x}', b: 1, b: 2 }\n",
  "\uFEFFa: 1\na: 2\n",
  "\uFEFF  a: 1\n  b: 2\n",
  "\uFEFF a: 1\nb: 2\n",
  "#\ra: 1\ra: 2\n",
  "x: 1 #\ra: 1\ra: 2\n",
  "a: 1\r#c\n",
  "a: 1\r\r\n",
  "a: [x\r]\n",
  "a: x\n\t\n  y\n",
  "a: |\n  x\n\t# c\n",
  "b: >\n    - a: 1\n\t\n",
  "- \n#x\n  x\n- y\n",
  "- b:\n#x\n   x\n- y\n",
  "b:\n#x\n  x\n- y\n",
  " b:\n#x\n  x\n c: 1\n",
  "b: 1\n- a: x:\n",
  "b: 1\n- a: x#y: z\n",
  "a : 1\n- 'a': \"x\": y\n",
  "a: |1\n  \n",
  "a: |-1\n  \n",
  "b: |2\n   \n",
  "a: +0x1\n",
  "a: -0o7\n",
  "a: 0x10000000000000000\n",
  "a: 0o777777777777777777777777\n",
  "a: [: x]\n",
  "a: [~: x]\n",
  "a: [null: x]\n",
  "a: [?]\n",
  "a: ,x\n",
  "- ,\n",
  "a: [x]: 1\n",
  "a: {b: 1}: 2\n",
  "a: x\u0000y\n",
  'a: "\\uD800"\n',
  "a: x\ud800y\n",
];

test("texts the two parsers read apart are refused", () => {
  const fooled = REVIEWED.filter((text) => {
    const fast = parsePlainYaml(text);
    return fast !== undefined && !Bun.deepEquals(fast, libraryReading(text), true);
  });
  expect(fooled).toEqual([]);
  // Each of them really is read apart: both parsers, without the scan, disagree or one throws.
  const agree = REVIEWED.filter((text) => {
    let bun: unknown;
    try {
      bun = { value: Bun.YAML.parse(text) };
    } catch {
      bun = "error";
    }
    const library = libraryReading(text);
    return "error" in library ? bun === "error" : Bun.deepEquals(bun, library, true);
  });
  expect(agree).toEqual([]);
});

// Block-style documents built from few keys, so that keys repeat in one mapping often. Whatever
// the scan accepts must be a document the library reads without error, to the same value.
type Node = string | { map: [string, Node][] } | { seq: Node[] };

const KEYS = ["a", "b", "model", "X-Title", "'a'", '"b"', "gpt-4.1"];
const SCALARS = [
  "x",
  "1",
  "01",
  "true",
  "yes",
  "~",
  "''",
  '"q: z"',
  "'it''s'",
  "http://h:80/p?a=1&b=2",
  "a#b",
  "[1, 2]",
  "{ k: v }",
  "-1.5",
  "${VAR:-x}",
];

const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...SCALARS),
    fc.record({
      map: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie("node")), { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ seq: fc.array(tie("node"), { minLength: 1, maxLength: 3 }) }),
  ),
})).node;

/** Block YAML for a node at an indentation; `inline` when it follows a key or a dash on the same line. */
function render(value: Node, indent: number, step: number, sep = ": "): string[] {
  const pad = " ".repeat(indent);
  if (typeof value === "string") return [`${pad}${value}`];
  if ("map" in value) {
    return value.map.flatMap(([key, child]) =>
      typeof child === "string"
        ? [`${pad}${key}${sep}${child}`]
        : [`${pad}${key}:`, ...render(child, "seq" in child ? indent : indent + step, step, sep)],
    );
  }
  return value.seq.flatMap((item) => {
    const lines = render(item, indent + 2, step, sep);
    const first = lines[0] ?? "";
    // The item's first line moves up beside its dash: `- key: value`, `- - x`.
    return [`${pad}- ${first.slice(indent + 2)}`, ...lines.slice(1)];
  });
}

test("whatever the scan accepts, the library reads without error and to the same value", () => {
  let accepted = 0;
  let duplicatesRefused = 0;
  fc.assert(
    fc.property(
      fc.record({ map: fc.array(fc.tuple(fc.constantFrom(...KEYS), node), { minLength: 1, maxLength: 5 }) }),
      fc.constantFrom(2, 4),
      // Mostly the usual `: `; a space before the colon, two after it, or a tab, now and then.
      fc.constantFrom(": ", ": ", ": ", " : ", ":  ", ":\t"),
      (document, step, sep) => {
        const text = `${render(document, 0, step, sep).join("\n")}\n`;
        const library = libraryReading(text);
        const fast = parsePlainYaml(text);
        if (!fast) {
          if ("error" in library && library.error.includes("unique")) duplicatesRefused++;
          return;
        }
        accepted++;
        expect({ text, reading: fast }).toEqual({ text, reading: library as { value: unknown } });
      },
    ),
    { numRuns: 2000, seed: 16 },
  );
  // Both kinds occur, or the property above would hold vacuously.
  expect(accepted).toBeGreaterThan(200);
  expect(duplicatesRefused).toBeGreaterThan(200);
});

describe("the library is loaded only when it must read", () => {
  /** Loads config text in a fresh process; says whether the `yaml` library was evaluated. */
  async function loadsLibrary(text: string): Promise<{ loaded: boolean; outcome: string }> {
    const script = `
      const { loadConfigFromText } = await import(${JSON.stringify(join(ROOT, "src/config/load-config.ts"))});
      let outcome;
      try { outcome = "ok " + JSON.stringify(loadConfigFromText(${JSON.stringify(text)}, "/srv/s.yaml", {}).warnings ?? []); }
      catch (error) { outcome = "error " + JSON.stringify(error.problems); }
      const loaded = Object.keys(require.cache).some((path) => path.includes("/node_modules/yaml/"));
      console.log(JSON.stringify({ loaded, outcome }));`;
    const child = Bun.spawn([process.execPath, "-e", script], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "inherit",
    });
    const output = await new Response(child.stdout).text();
    await child.exited;
    return JSON.parse(output);
  }

  test("a plain config without problems, even with a warning about a missing section: not loaded", async () => {
    const text = "server:\n  port: 8081\nproviders:\n  openai:\n    type: openai\n    api_key: sk-x\n";
    expect(await loadsLibrary(text)).toEqual({
      loaded: false,
      outcome: `ok ${JSON.stringify(["auth: no master key and no keys: the gateway is open to anyone who can reach it"])}`,
    });
  });

  test("a problem in a plain config: loaded, to give the problem its line", async () => {
    const text = "server:\n  port: 8081\n  portt: 1\n";
    const { loaded, outcome } = await loadsLibrary(text);
    expect(loaded).toBe(true);
    expect(outcome).toStartWith("error ");
    expect(JSON.parse(outcome.slice("error ".length))).toEqual([
      expect.objectContaining({ path: "server.portt", line: 3 }),
    ]);
  });

  test("a duplicate key: the library reads the file and reports it with its line", async () => {
    const { loaded, outcome } = await loadsLibrary("server:\n  port: 1\n  port: 2\n");
    expect(loaded).toBe(true);
    expect(JSON.parse(outcome.slice("error ".length))).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining("unique") }),
    ]);
  });
});
