import type { ClientProtocol } from "../ir/codec.ts";
import { ANTHROPIC_EFFORTS, EFFORT_ORDER, nearestEffort, OPENAI_EFFORTS } from "../ir/reasoning-levels.ts";
import type { IRReasoningEffort } from "../ir/types.ts";

/** Where each client protocol's body holds an effort level, and the levels its own API takes. */
const NATIVE_EFFORT: Record<
  ClientProtocol,
  { paths: readonly string[][]; levels: readonly IRReasoningEffort[] }
> = {
  // `reasoning.effort`: OpenRouter-style OpenAI-compatible upstreams.
  openai: { paths: [["reasoning_effort"], ["reasoning", "effort"]], levels: OPENAI_EFFORTS },
  responses: { paths: [["reasoning", "effort"]], levels: OPENAI_EFFORTS },
  anthropic: { paths: [["output_config", "effort"]], levels: ANTHROPIC_EFFORTS },
};

/**
 * The same-protocol path: an effort level the upstream's API does not have (`max` for OpenAI)
 * becomes its nearest level, named in `adjusted` as `field=old->new`. Returns the top-level fields
 * to replace in the body, or undefined when every level fits (the client's bytes can go as they came).
 */
export function fitNativeEffort(
  protocol: ClientProtocol,
  body: Record<string, unknown>,
  adjusted: string[],
): Record<string, unknown> | undefined {
  const { paths, levels } = NATIVE_EFFORT[protocol];
  let set: Record<string, unknown> | undefined;
  for (const path of paths) {
    const [top, inner] = path as [string, string | undefined];
    const holder = inner === undefined ? body : (body[top] as Record<string, unknown> | null | undefined);
    const value = holder?.[inner ?? top];
    if (typeof value !== "string" || !EFFORT_ORDER.includes(value as IRReasoningEffort)) continue;
    const fitted = nearestEffort(value as IRReasoningEffort, levels);
    if (fitted === value) continue;
    adjusted.push(`${path.join(".")}=${value}->${fitted}`);
    set ??= {};
    set[top] = inner === undefined ? fitted : { ...holder, [inner]: fitted };
  }
  return set;
}
