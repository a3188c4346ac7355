import { ROUTING_CONTROL_FIELDS, readRoutingControls } from "../routing/read-routing-controls.ts";
import type { RoutingControls } from "../routing/resolve-targets.ts";

/**
 * Reads the gateway's own request fields (`provider`, `fallbacks`) and removes them from the
 * body before it goes upstream.
 */
export function takeRoutingControls(body: Record<string, unknown>): {
  controls: RoutingControls;
  removed: boolean;
} {
  const controls = readRoutingControls(body);
  let removed = false;
  for (const field of ROUTING_CONTROL_FIELDS) {
    if (field in body) {
      delete body[field];
      removed = true;
    }
  }
  return { controls, removed };
}
