import type { UsageSummary, UsageSummaryRow } from "../../../../usage/usage-query.ts";
import { getJson } from "../api.ts";
import { timeChart } from "../charts.ts";
import { formatCompact, formatInt, formatUsd, h, table } from "../dom.ts";

type Dimension = "model" | "provider" | "key" | "day";
type Metric = "requests" | "tokens" | "cost_usd";

const DIMENSIONS: Array<{ value: Dimension; label: string }> = [
  { value: "model", label: "Model" },
  { value: "provider", label: "Provider" },
  { value: "key", label: "Key" },
  { value: "day", label: "Day" },
];
const METRICS: Array<{ value: Metric; label: string }> = [
  { value: "requests", label: "Requests" },
  { value: "tokens", label: "Tokens" },
  { value: "cost_usd", label: "Cost" },
];
const NUMBERS = [
  "requests",
  "errors",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_usd",
  "unpriced_requests",
] as const;
type Totals = Record<(typeof NUMBERS)[number], number>;

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const NONE = "(none)";

/** Filters survive a page change within the session. */
const state = {
  from: isoDay(Date.now() - 29 * DAY_MS),
  to: isoDay(Date.now()),
  key: "",
  model: "",
  provider: "",
  groupBy: "model" as Dimension,
  metric: "requests" as Metric,
};

const dimensionValue = (row: UsageSummaryRow, dimension: Dimension): string =>
  dimension === "day" ? (row.day ?? NONE) : (row[dimension] ?? NONE);
const metricOf = (t: Totals, metric: Metric): number =>
  metric === "tokens"
    ? t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens
    : metric === "cost_usd"
      ? t.cost_usd
      : t.requests;

function emptyTotals(): Totals {
  return Object.fromEntries(NUMBERS.map((n) => [n, 0])) as Totals;
}

function addInto(target: Totals, row: Totals): void {
  for (const n of NUMBERS) target[n] += row[n];
}

export async function renderUsage(main: HTMLElement, signal: AbortSignal): Promise<void> {
  // Every combination of key, model, provider and day, filtered and regrouped here: one query
  // answers every filter and grouping the page offers.
  const params = new URLSearchParams({ from: state.from, to: state.to, group_by: "key,model,provider,day" });
  const summary = await getJson<UsageSummary>(`/v1/usage?${params}`);
  if (signal.aborted) return;
  const all = summary.rows;
  const choices = (dimension: Exclude<Dimension, "day">) =>
    [...new Set(all.map((row) => dimensionValue(row, dimension)))].sort();
  const rows = all.filter(
    (row) =>
      (!state.key || dimensionValue(row, "key") === state.key) &&
      (!state.model || dimensionValue(row, "model") === state.model) &&
      (!state.provider || dimensionValue(row, "provider") === state.provider),
  );
  const groups = new Map<string, Totals>();
  const total = emptyTotals();
  for (const row of rows) {
    const name = dimensionValue(row, state.groupBy);
    let group = groups.get(name);
    if (!group) {
      group = emptyTotals();
      groups.set(name, group);
    }
    addInto(group, row);
    addInto(total, row);
  }
  const ordered = [...groups.entries()].sort((a, b) =>
    state.groupBy === "day"
      ? a[0].localeCompare(b[0])
      : metricOf(b[1], state.metric) - metricOf(a[1], state.metric),
  );

  const rerender = () => void renderUsage(main, signal);
  const control = (id: string, label: string, input: HTMLElement) =>
    h("div", { class: "field" }, h("label", { for: id }, label), input);
  const dateInput = (id: string, field: "from" | "to") => {
    const input = h("input", { id, type: "date", value: state[field], required: true });
    input.addEventListener("change", () => {
      if (input.value) {
        state[field] = input.value;
        rerender();
      }
    });
    return input;
  };
  const filterSelect = (id: string, field: "key" | "model" | "provider", options: string[]) => {
    const select = h(
      "select",
      { id },
      h("option", { value: "" }, "All"),
      options.map((o) => h("option", { value: o, selected: o === state[field] }, o)),
    );
    select.addEventListener("change", () => {
      state[field] = select.value;
      rerender();
    });
    return select;
  };
  const groupSelect = h(
    "select",
    { id: "usage-group" },
    DIMENSIONS.map((d) => h("option", { value: d.value, selected: d.value === state.groupBy }, d.label)),
  );
  groupSelect.addEventListener("change", () => {
    state.groupBy = groupSelect.value as Dimension;
    rerender();
  });
  const metricSelect = h(
    "select",
    { id: "usage-metric" },
    METRICS.map((m) => h("option", { value: m.value, selected: m.value === state.metric }, m.label)),
  );
  metricSelect.addEventListener("change", () => {
    state.metric = metricSelect.value as Metric;
    rerender();
  });

  const headers = [
    DIMENSIONS.find((d) => d.value === state.groupBy)!.label,
    "Requests",
    "Errors",
    "Input tokens",
    "Output tokens",
    "Cache read",
    "Cache write",
    "Reasoning",
    "Cost (USD)",
    "Unpriced",
  ];
  const tableRows = ordered.map(([name, t]) => [name, ...NUMBERS.map((n) => t[n])] as [string, ...number[]]);
  const exportCsv = () => {
    const lines = [headers, ...tableRows, ["Total", ...NUMBERS.map((n) => total[n])]].map((cells) =>
      cells.map(csvCell).join(","),
    );
    const blob = new Blob([`${lines.join("\r\n")}\r\n`], { type: "text/csv" });
    const link = h("a", {
      href: URL.createObjectURL(blob),
      download: `switchboard-usage-${state.from}-${state.to}-by-${state.groupBy}.csv`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };

  main.replaceChildren(
    h("h1", null, "Usage"),
    h(
      "form",
      { class: "toolbar", "aria-label": "Filters", onsubmit: (e: Event) => e.preventDefault() },
      control("usage-from", "From", dateInput("usage-from", "from")),
      control("usage-to", "To", dateInput("usage-to", "to")),
      control("usage-key", "Key", filterSelect("usage-key", "key", choices("key"))),
      control("usage-model", "Model", filterSelect("usage-model", "model", choices("model"))),
      control("usage-provider", "Provider", filterSelect("usage-provider", "provider", choices("provider"))),
      control("usage-group", "Group by", groupSelect),
      control("usage-metric", "Chart", metricSelect),
      h("button", { type: "button", onclick: exportCsv }, "Export CSV"),
    ),
    usageChart(rows, ordered, state.metric),
    h("div", { style: "height:12px" }),
    table(
      `Usage by ${headers[0].toLowerCase()}, ${state.from} to ${state.to}`,
      headers,
      [
        ...tableRows.map(([name, ...numbers]) => [name, ...numbers.map((n, i) => formatCell(NUMBERS[i], n))]),
        ...(tableRows.length
          ? [[h("strong", null, "Total"), ...NUMBERS.map((n) => h("strong", null, formatCell(n, total[n])))]]
          : []),
      ],
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ),
  );
}

const formatCell = (field: (typeof NUMBERS)[number], n: number): string =>
  field === "cost_usd" ? formatUsd(n) : field.endsWith("tokens") ? formatCompact(n) : formatInt(n);

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const SERIES_LIMIT = 7;

/** Per day, stacked by the chosen grouping (the largest groups, the rest as "other"). */
function usageChart(rows: UsageSummaryRow[], ordered: Array<[string, Totals]>, metric: Metric): HTMLElement {
  const start = Date.parse(`${state.from}T00:00:00Z`);
  const end = Date.parse(`${state.to}T00:00:00Z`);
  const times: number[] = [];
  for (let t = start; t <= end && times.length < 400; t += DAY_MS) times.push(t);
  const index = new Map(times.map((t, i) => [isoDay(t), i]));
  const byDay = state.groupBy === "day";
  const names = byDay ? ["All"] : ordered.slice(0, SERIES_LIMIT).map(([name]) => name);
  const other = !byDay && ordered.length > SERIES_LIMIT;
  const series = [...names, ...(other ? ["other"] : [])].map((label) => ({
    label,
    values: times.map(() => 0),
  }));
  for (const row of rows) {
    const i = index.get(row.day ?? "");
    if (i === undefined) continue;
    const name = byDay ? "All" : dimensionValue(row, state.groupBy);
    const s = names.indexOf(name);
    const target = s >= 0 ? series[s] : series[series.length - 1];
    target.values[i] += metricOf(row, metric);
  }
  const label = METRICS.find((m) => m.value === metric)!.label;
  return timeChart({
    title: `${label} per day${byDay ? "" : `, stacked by ${state.groupBy}`}`,
    times,
    stacked: true,
    bars: true,
    series,
    format: metric === "cost_usd" ? (n) => formatUsd(n) : formatCompact,
    height: 240,
  });
}
