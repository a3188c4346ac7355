import { pythonJson } from "../../bench/mock/python-json.ts";

/**
 * A recorded SSE stream re-serialised the way Python servers (vLLM, SGLang, LiteLLM: `json.dumps`
 * defaults) write it: every JSON `data:` payload gets `", "` and `": "` separators; framing,
 * `event:` lines and `[DONE]` stay as they were.
 */
export function respaceSSE(text: string): string {
  return text.replace(/^data:( ?)(\{.*)$/gm, (_line, space: string, json: string) => {
    return `data:${space}${pythonJson(JSON.parse(json))}`;
  });
}
