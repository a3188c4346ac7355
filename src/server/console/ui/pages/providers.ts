import { getJson } from "../api.ts";
import { formatDateTime, formatInt, formatMs, formatPercent, h, table } from "../dom.ts";

interface ProvidersBody {
  activity_window_ms: number;
  usage_store: boolean;
  providers: Array<{
    name: string;
    type: string;
    base_url: string;
    models: string[];
    state: string;
    consecutive_failures: number;
    keys: Array<{
      label: string;
      state: string;
      consecutive_failures: number;
      cooldown_until: string | null;
    }>;
    recent: {
      attempts: number;
      failed: number;
      error_rate: number;
      p50_latency_ms: number | null;
      p95_latency_ms: number | null;
    } | null;
  }>;
  routes: Array<{ name: string; strategy: string; description: string }>;
}

const stateBadge = (state: string) => h("span", { class: `badge ${state}` }, state.replace("_", "-"));

export async function renderProviders(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const body = await getJson<ProvidersBody>("/admin/providers");
  if (signal.aborted) return;
  const keysCell = (p: ProvidersBody["providers"][number]) => {
    if (p.keys.length === 0) return h("span", { class: "muted" }, "no key");
    return h(
      "span",
      null,
      p.keys.flatMap((k, i) => [
        i > 0 ? ", " : "",
        `${k.label} `,
        k.cooldown_until
          ? h(
              "span",
              { class: "badge warn" },
              `cooling down until ${formatDateTime(Date.parse(k.cooldown_until))}`,
            )
          : stateBadge(k.state),
      ]),
    );
  };
  main.replaceChildren(
    h("h1", null, "Providers"),
    h(
      "p",
      { class: "status-line" },
      body.usage_store
        ? "Attempts, error rate and latency: every upstream attempt of the last hour (fallbacks and retries included)."
        : "Usage recording is off: no attempt history; breaker and key states only.",
    ),
    table(
      "Providers",
      [
        "Provider",
        "Type",
        "Breaker",
        "Failures in a row",
        "Attempts (1 h)",
        "Error rate",
        "p50",
        "p95",
        "Keys",
      ],
      body.providers.map((p) => [
        h("strong", null, p.name),
        p.type,
        stateBadge(p.state),
        formatInt(p.consecutive_failures),
        p.recent ? formatInt(p.recent.attempts) : "–",
        p.recent ? formatPercent(p.recent.error_rate) : "–",
        formatMs(p.recent?.p50_latency_ms ?? null),
        formatMs(p.recent?.p95_latency_ms ?? null),
        keysCell(p),
      ]),
      [3, 4, 5, 6, 7],
    ),
    h("h2", null, "Routes"),
    table(
      "Routes (as switchboard check prints them)",
      ["Model", "Strategy", "Targets"],
      body.routes.map((r) => [h("code", null, r.name), r.strategy, r.description]),
    ),
    h("h2", null, "Endpoints"),
    table(
      "Provider endpoints",
      ["Provider", "Base URL", "Models"],
      body.providers.map((p) => [
        p.name,
        h("code", null, p.base_url),
        p.models.join(", ") || h("span", { class: "muted" }, "any"),
      ]),
    ),
  );
}
