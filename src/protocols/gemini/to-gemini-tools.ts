import type { EncodeContext } from "../../ir/codec.ts";
import { dropField } from "../../ir/drop-policy.ts";
import type { IRTool, IRToolChoice } from "../../ir/types.ts";
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from "./gemini-api.ts";
import { toGeminiParameters } from "./to-gemini-json-schema.ts";

/** IR tools → one Gemini tool holding every function declaration. */
export function toGeminiTools(tools: IRTool[], context: EncodeContext): GeminiTool[] | undefined {
  if (tools.length === 0) return undefined;
  const declarations = tools.map((tool): GeminiFunctionDeclaration => {
    // Gemini has no strict mode; it always constrains function calls to the declared schema.
    if (tool.strict === true) dropField(context, "strict");
    if (tool.cacheControl) dropField(context, "cache_control");
    const declaration: GeminiFunctionDeclaration = { name: tool.name };
    if (tool.description) declaration.description = tool.description;
    const schema = toGeminiParameters(tool.parameters);
    if (schema) declaration.parametersJsonSchema = schema;
    return declaration;
  });
  return [{ functionDeclarations: declarations }];
}

/** auto → AUTO, none → NONE, required → ANY, a named tool → ANY restricted to that name. */
export function toGeminiToolConfig(choice: IRToolChoice | undefined): GeminiToolConfig | undefined {
  switch (choice?.type) {
    case undefined:
      return undefined;
    case "auto":
      return { functionCallingConfig: { mode: "AUTO" } };
    case "none":
      return { functionCallingConfig: { mode: "NONE" } };
    case "required":
      return { functionCallingConfig: { mode: "ANY" } };
    case "tool":
      return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.name] } };
  }
}
