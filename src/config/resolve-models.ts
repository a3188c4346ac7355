import { canonicalIdOf } from "../catalog/canonical-id.ts";
import { servingTargets } from "../catalog/serving-targets.ts";
import { toNumber } from "./coerce.ts";
import type { ProblemList } from "./problem-list.ts";
import type { RawConfig, RawRouteTarget } from "./schema.ts";
import type { CatalogOverrides, ModelRoute, ResolvedProvider, RouteStrategy } from "./types.ts";

/**
 * The `models:` section: a string is an alias, a list a fallback chain, a mapping a balanced
 * group. Each target is checked against the providers: `x/model` needs a provider `x`, unless
 * it is a catalog id some provider serves.
 */
export function resolveModels(
  raw: RawConfig["models"],
  providers: ResolvedProvider[],
  problems: ProblemList,
  catalog: CatalogOverrides,
): Map<string, ModelRoute> {
  const routes = new Map<string, ModelRoute>();
  const aliasNames = new Set(Object.keys(raw ?? {}));
  for (const [name, value] of Object.entries(raw ?? {})) {
    const path = ["models", name];
    let strategy: RouteStrategy = "ordered";
    let rawTargets: RawRouteTarget[];
    let targetsPath: Array<string | number> = path;
    if (typeof value === "string") rawTargets = [value];
    else if (Array.isArray(value)) rawTargets = value;
    else {
      strategy = value.strategy ?? "ordered";
      rawTargets = value.targets;
      targetsPath = [...path, "targets"];
    }

    const targets = rawTargets.map((target, i) => {
      const targetPath = typeof value === "string" ? path : [...targetsPath, i];
      const model = typeof target === "string" ? target : target.model;
      const weight = typeof target === "string" ? 1 : toNumber(target.weight, 1);
      checkTarget(model, name, { providers, catalog }, aliasNames, problems, targetPath);
      return { model, weight };
    });
    routes.set(name, { name, strategy, targets });
  }
  return routes;
}

function checkTarget(
  model: string,
  alias: string,
  { providers, catalog }: { providers: ResolvedProvider[]; catalog: CatalogOverrides },
  aliasNames: Set<string>,
  problems: ProblemList,
  path: Array<string | number>,
): void {
  if (model === alias) {
    problems.add(path, `\`${alias}\` names itself`);
    return;
  }
  const canonical = canonicalIdOf(model, catalog);
  // Listed by a provider, or a catalog id a provider serves.
  const served =
    providers.some((p) => p.models.includes(model)) ||
    (canonical !== undefined && servingTargets({ providers, catalog }, canonical).length > 0);
  // A target from the environment is not echoed; the path and line say which one.
  const hidden = problems.isHidden(path);
  const shown = hidden ? "this target" : `\`${model}\``;
  const slash = model.indexOf("/");
  if (slash !== -1) {
    const providerName = model.slice(0, slash);
    if (slash === model.length - 1) {
      problems.add(path, `${shown} names no model after the provider`);
    } else if (!providers.some((p) => p.name === providerName) && !served) {
      const configured = providers.map((p) => p.name).join(", ") || "none";
      const provider = hidden ? "a provider" : `provider \`${providerName}\``;
      problems.add(path, `${shown} names ${provider}, which is not configured (configured: ${configured})`);
    }
    return;
  }
  const byPrefix = providers.some((p) => p.modelPrefixes.some((prefix) => model.startsWith(prefix)));
  if (!served && !byPrefix && !aliasNames.has(model)) {
    const suggestion = hidden ? "provider/model" : `provider/${model}`;
    problems.warn(
      path,
      `no provider lists or claims ${shown}; write it as ${suggestion} or add it to a provider's models`,
    );
  }
}
