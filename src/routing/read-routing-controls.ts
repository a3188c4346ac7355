import { invalidRequest } from "../errors/gateway-error.ts";
import type { RoutingControls } from "./resolve-targets.ts";

/** Request body fields that are the gateway's own; the pipeline removes them before going upstream. */
export const ROUTING_CONTROL_FIELDS = ["provider", "fallbacks"] as const;

/**
 * Reads and checks the routing controls of a request body (any protocol). A malformed control
 * is a 400 naming its path; absent controls give `{}`. Does not modify the body.
 */
export function readRoutingControls(body: Record<string, unknown>): RoutingControls {
  const controls: RoutingControls = {};
  const provider = body.provider;
  if (provider !== undefined && provider !== null) {
    if (typeof provider === "string") {
      if (provider === "") throw invalidRequest("'provider' must not be empty", "provider");
      controls.provider = provider;
    } else if (isPlainObject(provider)) {
      const control: { order?: string[]; only?: string[]; ignore?: string[] } = {};
      for (const [field, value] of Object.entries(provider)) {
        // AI Stats' include_alpha: accepted and ignored (every configured provider is eligible).
        if (field === "include_alpha") continue;
        if (field !== "order" && field !== "only" && field !== "ignore") {
          throw invalidRequest(
            `Unknown field 'provider.${field}'; expected order, only, ignore or include_alpha`,
            `provider.${field}`,
          );
        }
        if (value === undefined || value === null) continue;
        control[field] = readStringList(value, `provider.${field}`);
      }
      controls.provider = control;
    } else {
      throw invalidRequest(
        "'provider' must be a provider name or an object with order, only or ignore",
        "provider",
      );
    }
  }
  const fallbacks = body.fallbacks;
  if (fallbacks !== undefined && fallbacks !== null)
    controls.fallbacks = readStringList(fallbacks, "fallbacks");
  return controls;
}

function readStringList(value: unknown, param: string): string[] {
  if (!Array.isArray(value)) throw invalidRequest(`'${param}' must be an array of strings`, param);
  value.forEach((item, index) => {
    if (typeof item !== "string" || item === "") {
      throw invalidRequest(`'${param}[${index}]' must be a non-empty string`, `${param}[${index}]`);
    }
  });
  return value as string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
