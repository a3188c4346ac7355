import { invalidRequest } from "../../errors/gateway-error.ts";
import type { EncodeContext } from "../../ir/codec.ts";

/**
 * Records a client field Gemini cannot honour but whose loss cannot change the answer; in strict
 * mode every such drop is a 400 instead.
 */
export function dropField(context: EncodeContext, wireName: string): void {
  if (context.strict) {
    throw invalidRequest(
      `'${wireName}' is not supported by provider '${context.providerName}' (strict mode)`,
      wireName,
      "unsupported_parameter",
    );
  }
  if (!context.dropped.includes(wireName)) context.dropped.push(wireName);
}

/** A field whose loss would change the answer: always a 400 naming the field and the provider. */
export function rejectField(context: EncodeContext, wireName: string, why: string): never {
  throw invalidRequest(
    `'${wireName}' is not supported by provider '${context.providerName}': ${why}`,
    wireName,
    "unsupported_parameter",
  );
}
