import { toNumber } from "./coerce.ts";
import type { ProblemList } from "./problem-list.ts";
import type { RawConfig, RawRouteTarget } from "./schema.ts";
import type { ModelRoute, ResolvedProvider, RouteStrategy } from "./types.ts";

/**
 * The `models:` section: a string is an alias, a list a fallback chain, a mapping a balanced
 * group. Each target is checked against the providers: `x/model` needs a provider `x`.
 */
export function resolveModels(
  raw: RawConfig["models"],
  providers: ResolvedProvider[],
  problems: ProblemList,
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
      checkTarget(model, name, providers, aliasNames, problems, targetPath);
      return { model, weight };
    });
    routes.set(name, { name, strategy, targets });
  }
  return routes;
}

function checkTarget(
  model: string,
  alias: string,
  providers: ResolvedProvider[],
  aliasNames: Set<string>,
  problems: ProblemList,
  path: Array<string | number>,
): void {
  if (model === alias) {
    problems.add(path, `\`${alias}\` names itself`);
    return;
  }
  const listedBy = providers.some((p) => p.models.includes(model));
  const slash = model.indexOf("/");
  if (slash !== -1) {
    const providerName = model.slice(0, slash);
    if (slash === model.length - 1) {
      problems.add(path, `\`${model}\` names no model after the provider`);
    } else if (!providers.some((p) => p.name === providerName) && !listedBy) {
      const configured = providers.map((p) => p.name).join(", ") || "none";
      problems.add(
        path,
        `\`${model}\` names provider \`${providerName}\`, which is not configured (configured: ${configured})`,
      );
    }
    return;
  }
  const byPrefix = providers.some((p) => p.modelPrefixes.some((prefix) => model.startsWith(prefix)));
  if (!listedBy && !byPrefix && !aliasNames.has(model)) {
    problems.warn(
      path,
      `no provider lists or claims \`${model}\`; write it as provider/${model} or add it to a provider's models`,
    );
  }
}
