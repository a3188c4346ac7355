import { asArray, asNumber, asRecord, asString, isRecord } from "../../ir/guards.ts";

/**
 * Server-tool blocks of an Anthropic answer: tools Anthropic runs itself (web search, web fetch,
 * code execution, the MCP connector, tool search…). No other client protocol has them, so for
 * every other client each becomes one line of text in the answer, where it happened, instead of
 * vanishing (docs/translation.md, "Server tools"):
 *
 *   [server_tool_use web_search {"query":"…"}]
 *   [mcp_tool_use github/search_issues {"q":"…"}]
 *   [mcp_tool_result] <the result's text>            ([mcp_tool_result error] when is_error)
 *   [web_search_tool_result] Title <url>; Title <url>  ([web_search_tool_result error <code>])
 *   [code_execution_tool_result return_code=0] <stdout> <stderr>   (bash_… the same)
 *   [<type>] for any other `*_tool_result`
 *
 * Each line stands between newlines so it never runs into the text around it.
 */
export function isServerToolBlock(type: unknown): boolean {
  return (
    type === "server_tool_use" ||
    type === "mcp_tool_use" ||
    (typeof type === "string" && type.endsWith("_tool_result") && type !== "tool_result")
  );
}

/** The text an OpenAI (or other) client gets for one server-tool block; `input` overrides a streamed one. */
export function renderServerToolBlock(block: Record<string, unknown>, input?: unknown): string {
  return `\n${renderLine(block, input ?? block.input)}\n`;
}

function renderLine(block: Record<string, unknown>, input: unknown): string {
  const type = asString(block.type) ?? "server_tool";
  switch (type) {
    case "server_tool_use":
      return `[server_tool_use ${asString(block.name) ?? ""} ${JSON.stringify(input ?? {})}]`;
    case "mcp_tool_use": {
      const server = asString(block.server_name);
      const name = asString(block.name) ?? "";
      return `[mcp_tool_use ${server ? `${server}/` : ""}${name} ${JSON.stringify(input ?? {})}]`;
    }
    case "mcp_tool_result":
      return `[mcp_tool_result${block.is_error === true ? " error" : ""}] ${contentText(block.content)}`;
    case "web_search_tool_result":
      return renderWebSearchResult(block.content);
    case "code_execution_tool_result":
    case "bash_code_execution_tool_result":
      return renderCodeExecutionResult(type, block.content);
    default:
      return `[${type}]`;
  }
}

/** Text of a result's content: a string, or text blocks joined with newlines. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  return asArray(content)
    .map((item) => (isRecord(item) ? (asString(item.text) ?? "") : ""))
    .filter((text) => text.length > 0)
    .join("\n");
}

function renderWebSearchResult(content: unknown): string {
  const error = asRecord(content);
  if (error) return `[web_search_tool_result error ${asString(error.error_code) ?? "unknown"}]`;
  const results = asArray(content)
    .filter(isRecord)
    .map((result) => {
      const title = asString(result.title);
      const url = asString(result.url) ?? "";
      return title ? `${title} <${url}>` : `<${url}>`;
    });
  return `[web_search_tool_result] ${results.join("; ")}`.trimEnd();
}

function renderCodeExecutionResult(type: string, content: unknown): string {
  const result = asRecord(content) ?? {};
  if (asString(result.error_code) !== undefined) return `[${type} error ${asString(result.error_code)}]`;
  const code = asNumber(result.return_code);
  const output = [asString(result.stdout), asString(result.stderr)].filter((s): s is string => Boolean(s));
  const head = `[${type}${code !== undefined ? ` return_code=${code}` : ""}]`;
  return output.length > 0 ? `${head} ${output.join("\n")}` : head;
}
