import { invalidRequest } from "../../errors/gateway-error.ts";
import { asBoolean, asRecord, asString, isRecord, type JsonObject } from "../../ir/guards.ts";
import type { IRTool, IRToolChoice } from "../../ir/types.ts";

/**
 * Responses tools → IR tools. Function tools map one to one. A `custom` (freeform) tool becomes a
 * function of one string argument `input`, so providers without freeform tools can still call
 * it; its grammar, which they cannot enforce, is written into that argument's description so the
 * model still sees it. Built-in tools (web_search, file_search, mcp, …) exist only on OpenAI:
 * they are returned under wire names `tools.<type>` for IRRequest.unknown, where every provider
 * encoder's drop policy lists them (x-switchboard-dropped) or refuses them in strict mode.
 */
export function fromResponsesTools(tools: unknown[]): {
  tools: IRTool[];
  builtIn: Record<string, unknown[]>;
} {
  const out: IRTool[] = [];
  const builtIn: Record<string, unknown[]> = {};
  tools.forEach((tool, i) => {
    const path = `tools[${i}]`;
    if (!isRecord(tool)) throw invalidRequest(`${path} must be an object`, path);
    if (tool.type === "function") out.push(fromFunctionTool(tool, path));
    else if (tool.type === "custom") out.push(fromCustomTool(tool, path));
    else {
      const key = `tools.${String(tool.type)}`;
      builtIn[key] = [...(builtIn[key] ?? []), tool];
    }
  });
  return { tools: out, builtIn };
}

function fromFunctionTool(tool: JsonObject, path: string): IRTool {
  const name = asString(tool.name);
  if (!name) throw invalidRequest(`${path}.name is required`, `${path}.name`);
  const ir: IRTool = { name, parameters: asRecord(tool.parameters) ?? { type: "object", properties: {} } };
  const description = asString(tool.description);
  if (description !== undefined) ir.description = description;
  const strict = asBoolean(tool.strict);
  if (strict !== undefined) ir.strict = strict;
  return ir;
}

function fromCustomTool(tool: JsonObject, path: string): IRTool {
  const name = asString(tool.name);
  if (!name) throw invalidRequest(`${path}.name is required`, `${path}.name`);
  const format = asRecord(tool.format);
  const ir: IRTool = {
    name,
    parameters: {
      type: "object",
      properties: { input: { type: "string", description: describeCustomInput(format) } },
      required: ["input"],
      additionalProperties: false,
    },
    custom: format ? { format } : {},
  };
  const description = asString(tool.description);
  if (description !== undefined) ir.description = description;
  return ir;
}

function describeCustomInput(format: JsonObject | undefined): string {
  const base = "The tool's input, as raw text (not JSON).";
  if (format?.type !== "grammar") return base;
  const syntax = asString(format.syntax) ?? "grammar";
  const definition = asString(format.definition) ?? "";
  return `${base} It must match this ${syntax} grammar:\n${definition}`;
}

/**
 * Responses tool_choice → IR. A named function or custom tool is forced by name. `allowed_tools`
 * keeps its mode (auto or required) and its subset is lost (returned for IRRequest.unknown, so it
 * is listed as dropped); a built-in tool forced by type falls back to auto, likewise listed.
 */
export function fromResponsesToolChoice(choice: unknown): {
  toolChoice: IRToolChoice;
  dropped?: [string, unknown];
} {
  if (choice === "auto" || choice === "none" || choice === "required")
    return { toolChoice: { type: choice } };
  if (!isRecord(choice)) throw invalidRequest("tool_choice must be a string or an object", "tool_choice");
  if (choice.type === "function" || choice.type === "custom") {
    const name = asString(choice.name);
    if (!name) throw invalidRequest("tool_choice.name is required", "tool_choice.name");
    return { toolChoice: { type: "tool", name } };
  }
  if (choice.type === "allowed_tools")
    return {
      toolChoice: { type: choice.mode === "required" ? "required" : "auto" },
      dropped: ["tool_choice.allowed_tools", choice.tools],
    };
  return { toolChoice: { type: "auto" }, dropped: ["tool_choice", choice] };
}
