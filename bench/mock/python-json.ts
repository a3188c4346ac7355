/**
 * JSON as Python's `json.dumps` writes it by default (`", "` and `": "` separators, non-ASCII
 * escaped): what vLLM, SGLang, LiteLLM and other Python servers send. The `-spaced` mock models
 * answer this way, so a benchmark cell shows what spaced JSON costs the pass-through observers.
 */
export function pythonJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value) ?? "null";
    return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  const members = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`);
  return `{${members.join(", ")}}`;
}
