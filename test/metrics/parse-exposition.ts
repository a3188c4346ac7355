/**
 * A strict little parser for the Prometheus text format 0.0.4, for tests: every line must be a
 * HELP, a TYPE or a sample of a declared family; label values are unescaped.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function parseExposition(text: string): Exposition {
  if (!text.endsWith("\n")) throw new Error("exposition must end with a newline");
  const out: Exposition = { types: new Map(), help: new Map(), samples: [] };
  for (const line of text.slice(0, -1).split("\n")) {
    if (line.startsWith("# HELP ")) {
      const [name, ...rest] = line.slice(7).split(" ");
      out.help.set(name!, rest.join(" "));
      continue;
    }
    if (line.startsWith("# TYPE ")) {
      const [name, type] = line.slice(7).split(" ");
      if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(type!))
        throw new Error(`bad type: ${line}`);
      if (out.types.has(name!)) throw new Error(`duplicate TYPE for ${name}`);
      out.types.set(name!, type!);
      continue;
    }
    out.samples.push(parseSample(line));
  }
  for (const s of out.samples) {
    const family = s.name.replace(/_(bucket|sum|count)$/, "");
    if (!out.types.has(s.name) && !(out.types.get(family) === "histogram" && family !== s.name)) {
      throw new Error(`sample ${s.name} has no TYPE`);
    }
  }
  return out;
}

function parseSample(line: string): Sample {
  let i = 0;
  while (i < line.length && line[i] !== "{" && line[i] !== " ") i++;
  const name = line.slice(0, i);
  if (!NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
  const labels: Record<string, string> = {};
  if (line[i] === "{") {
    i++;
    while (line[i] !== "}") {
      const eq = line.indexOf("=", i);
      const label = line.slice(i, eq);
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) throw new Error(`bad label name '${label}' in: ${line}`);
      if (line[eq + 1] !== '"') throw new Error(`unquoted label value in: ${line}`);
      let j = eq + 2;
      let value = "";
      while (line[j] !== '"') {
        if (j >= line.length) throw new Error(`unterminated label value in: ${line}`);
        if (line[j] === "\\") {
          const next = line[j + 1];
          if (next === "n") value += "\n";
          else if (next === "\\" || next === '"') value += next;
          else throw new Error(`bad escape \\${next} in: ${line}`);
          j += 2;
        } else value += line[j++];
      }
      labels[label] = value;
      i = j + 1;
      if (line[i] === ",") i++;
      else if (line[i] !== "}") throw new Error(`expected , or } in: ${line}`);
    }
    i++;
  }
  if (line[i] !== " ") throw new Error(`expected a space before the value in: ${line}`);
  const raw = line.slice(i + 1);
  const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : raw === "NaN" ? NaN : Number(raw);
  if (raw === "" || (Number.isNaN(value) && raw !== "NaN")) throw new Error(`bad value in: ${line}`);
  return { name, labels, value };
}

/** The value of the one sample with this name and (at least) these labels. */
export function sampleValue(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const hits = exposition.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length > 1) throw new Error(`${hits.length} samples match ${name} ${JSON.stringify(labels)}`);
  return hits[0]?.value;
}
