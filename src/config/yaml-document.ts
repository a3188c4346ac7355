/**
 * The reference reading of config text, with the `yaml` library: line numbers for every problem,
 * duplicate keys and unresolved aliases as errors. load-config.ts loads this module only when the
 * fast path (plain-yaml.ts) cannot be used or found a problem to report, so a plain, valid config
 * starts without evaluating the library at all.
 */
import { type Document, isAlias, LineCounter, parseDocument, visit } from "yaml";
import { ConfigError } from "./config-error.ts";
import { createLineLocator, type LineLocator } from "./yaml-locator.ts";

/** The document's value and a locator of its paths' lines; throws ConfigError on a YAML error. */
export function readYamlDocument(text: string, source: string): { value: unknown; locate: LineLocator } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      path: "",
      line: lineCounter.linePos(e.pos[0]).line,
      message: `YAML syntax: ${yamlMessage(e.message)}`,
    }));
    throw new ConfigError(problems, source);
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), locate: createLineLocator(doc, lineCounter) };
  } catch (error) {
    const line = unresolvedAliasLine(doc, lineCounter);
    const message = `YAML: ${yamlMessage((error as Error).message)}`;
    throw new ConfigError([line === undefined ? { path: "", message } : { path: "", line, message }], source);
  }
}

/**
 * The YAML library's message without the source text some of them end with (`Unresolved tag:
 * !sk-…`, `Block scalar header includes extra characters: …`): it may be a secret. The line says where.
 */
function yamlMessage(message: string): string {
  const first = message.split("\n")[0] ?? "";
  const colon = first.indexOf(": ");
  return colon === -1 ? first : first.slice(0, colon);
}

/** The line of the first alias whose anchor is not defined before it, if any. */
function unresolvedAliasLine(doc: Document, lineCounter: LineCounter): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!isAlias(node) || node.resolve(doc) !== undefined) return;
      line = node.range ? lineCounter.linePos(node.range[0]).line : undefined;
      return visit.BREAK;
    },
  });
  return line;
}
