import type { OverviewRange, OverviewTopEntry, UsageOverview } from "../../../../usage/usage-timeseries.ts";
import { ApiError, getJson } from "../api.ts";
import { timeChart } from "../charts.ts";
import { formatCompact, formatInt, formatMs, formatUsd, h, stat, table } from "../dom.ts";

const RANGES: Array<{ value: OverviewRange; label: string }> = [
  { value: "1h", label: "Last hour (per minute)" },
  { value: "24h", label: "Last day (per hour)" },
  { value: "30d", label: "Last 30 days (per day)" },
];

let selectedRange: OverviewRange = "24h";

export async function renderOverview(main: HTMLElement, signal: AbortSignal): Promise<void> {
  let overview: UsageOverview;
  try {
    overview = await getJson<UsageOverview>(`/admin/overview?range=${selectedRange}`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "usage_store_off") {
      main.replaceChildren(
        h("h1", null, "Overview"),
        h(
          "p",
          { class: "alert", role: "alert" },
          "Usage recording is off (usage.store: off): there is nothing to chart.",
        ),
      );
      return;
    }
    throw error;
  }
  if (signal.aborted) return;
  const select = h(
    "select",
    {
      id: "overview-range",
      onchange: () => {
        selectedRange = select.value as OverviewRange;
        void renderOverview(main, signal);
      },
    },
    RANGES.map((r) => h("option", { value: r.value, selected: r.value === selectedRange }, r.label)),
  );
  const t = overview.totals;
  const times = overview.buckets.map((b) => b.t);
  const series = (key: keyof UsageOverview["buckets"][number]) => overview.buckets.map((b) => Number(b[key]));
  main.replaceChildren(
    h("h1", null, "Overview"),
    h(
      "div",
      { class: "toolbar" },
      h("div", { class: "field" }, h("label", { for: "overview-range" }, "Range"), select),
      h(
        "p",
        { class: "status-line" },
        `${new Date(overview.from).toLocaleString()} – ${new Date(overview.to).toLocaleString()}`,
      ),
    ),
    h(
      "section",
      { class: "stats", "aria-label": "Totals" },
      stat("Requests", formatInt(t.requests), "requests"),
      stat("Errors", formatInt(t.errors), "errors"),
      stat("Input tokens", formatCompact(t.input_tokens), "input_tokens"),
      stat("Output tokens", formatCompact(t.output_tokens), "output_tokens"),
      stat("Cached tokens", formatCompact(t.cached_tokens), "cached_tokens"),
      stat("Cost", formatUsd(t.cost_usd), "cost_usd"),
      stat("Latency p50 / p95", `${formatMs(t.p50_latency_ms)} / ${formatMs(t.p95_latency_ms)}`, "latency"),
      stat("TTFT p50 / p95", `${formatMs(t.p50_ttft_ms)} / ${formatMs(t.p95_ttft_ms)}`, "ttft"),
    ),
    h(
      "div",
      { class: "grid" },
      timeChart({
        title: "Requests and errors",
        times,
        bars: true,
        series: [
          { label: "Requests", values: series("requests") },
          { label: "Errors", values: series("errors"), color: "#D55E00" },
        ],
        format: formatCompact,
      }),
      timeChart({
        title: "Tokens",
        times,
        stacked: true,
        bars: true,
        series: [
          { label: "Input", values: series("input_tokens") },
          { label: "Output", values: series("output_tokens") },
          { label: "Cached", values: series("cached_tokens") },
        ],
        format: formatCompact,
      }),
      timeChart({
        title: "Cost (USD)",
        times,
        bars: true,
        series: [{ label: "Cost", values: series("cost_usd"), color: "#009E73" }],
        format: (n) => formatUsd(n),
      }),
    ),
    h("h2", null, "Top"),
    h(
      "div",
      { class: "grid-3" },
      topTable("Top models", overview.top.models),
      topTable("Top providers", overview.top.providers),
      topTable("Top keys", overview.top.keys),
    ),
  );
}

function topTable(caption: string, entries: OverviewTopEntry[]): HTMLElement {
  return table(
    caption,
    ["Name", "Requests", "Errors", "Tokens", "Cost"],
    entries.map((e) => [
      e.name ?? h("span", { class: "muted" }, "(none)"),
      formatInt(e.requests),
      formatInt(e.errors),
      formatCompact(e.tokens),
      formatUsd(e.cost_usd),
    ]),
    [1, 2, 3, 4],
  );
}
