// deploy/grafana/switchboard.json queries only what the gateway exports, with the labels it exports.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { GatewayMetrics } from "../../src/metrics/gateway-metrics.ts";

const DASHBOARD = join(import.meta.dir, "../../deploy/grafana/switchboard.json");

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
  datasource?: { uid: string };
}
const dashboard = (await Bun.file(DASHBOARD).json()) as {
  panels: Panel[];
  templating: { list: Array<{ name: string; definition?: string }> };
};

/** Metric families and the sample names each exposes (histograms: _bucket, _sum, _count). */
function exported(): Map<string, { type: string; samples: string[] }> {
  const families = new Map<string, { type: string; samples: string[] }>();
  for (const line of new GatewayMetrics().render().split("\n")) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!match) continue;
    const [, name, type] = match;
    const samples = type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
    families.set(name, { type, samples });
  }
  return families;
}

const panelQueries = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
const queries = [
  ...panelQueries,
  ...dashboard.templating.list.flatMap((variable) => (variable.definition ? [variable.definition] : [])),
];
const metricNamesIn = (expr: string) => expr.match(/switchboard_[a-z0-9_]+/g) ?? [];

describe("Grafana dashboard", () => {
  test("every metric a query names is one the gateway exports (histograms through _bucket)", () => {
    const samples = new Set([...exported().values()].flatMap((family) => family.samples));
    const unknown = queries.flatMap(metricNamesIn).filter((name) => !samples.has(name));
    expect(unknown).toEqual([]);
    expect(queries.length).toBeGreaterThan(20);
  });

  test("histograms are queried through histogram_quantile over _bucket, counters through rate or increase", () => {
    const families = exported();
    for (const expr of panelQueries) {
      for (const name of metricNamesIn(expr)) {
        const family = families.get(name.replace(/_(bucket|sum|count)$/, "")) ?? families.get(name);
        if (family?.type === "histogram") expect(expr).toContain("histogram_quantile(");
        if (family?.type === "counter") expect(expr).toMatch(new RegExp(`(rate|increase)\\(${name}[{\\[]`));
      }
    }
  });

  test("covers requests, errors, latency, TTFT, tokens, cost, breakers, in-flight streams and usage-store drops", () => {
    const used = new Set(queries.flatMap(metricNamesIn));
    for (const name of [
      "switchboard_requests_total",
      "switchboard_errors_total",
      "switchboard_request_duration_seconds_bucket",
      "switchboard_time_to_first_token_seconds_bucket",
      "switchboard_tokens_total",
      "switchboard_cost_usd_total",
      "switchboard_circuit_breaker_state",
      "switchboard_streams_in_flight",
      "switchboard_usage_records_dropped_total",
    ]) {
      expect(used.has(name)).toBe(true);
    }
  });

  test("the labels a query filters or groups by are labels of that metric", () => {
    const metrics = new GatewayMetrics();
    // One observation so every labelled series is rendered with its label names.
    metrics.observe(
      {
        requestId: "r",
        startedAt: 0,
        keyName: "k",
        endpoint: "chat_completions",
        modelRequested: "m",
        provider: "p",
        upstreamModel: "m",
        attempts: [],
        status: 500,
        stream: true,
        latencyMs: 10,
        ttftMs: 5,
        upstreamLatencyMs: 5,
        usage: { inputTokens: 1, outputTokens: 1 },
        translated: false,
        errorType: "api_error",
      },
      0.1,
    );
    metrics.setBreakerStates({ providers: [{ name: "p", state: "closed" }] });
    metrics.rateLimited("k");
    const labelsOf = new Map<string, Set<string>>();
    for (const line of metrics.render().split("\n")) {
      const match = /^(switchboard_[a-z0-9_]+)\{([^}]*)\}/.exec(line);
      if (!match) continue;
      const names = new Set([...match[2].matchAll(/([a-z_]+)="/g)].map((m) => m[1]));
      labelsOf.set(match[1], new Set([...(labelsOf.get(match[1]) ?? []), ...names]));
    }
    for (const expr of queries) {
      for (const [, name, selector] of expr.matchAll(/(switchboard_[a-z0-9_]+)\{([^}]*)\}/g)) {
        const known = labelsOf.get(name);
        if (!known) continue;
        for (const [, label] of selector.matchAll(/([a-z_]+)=~?"/g))
          expect(`${name}:${label}:${known.has(label)}`).toBe(`${name}:${label}:true`);
      }
      for (const [, labels] of expr.matchAll(/by \(([^)]*)\)/g)) {
        const names = metricNamesIn(expr);
        for (const label of labels.split(",").map((l) => l.trim())) {
          const ok = names.some((name) => labelsOf.get(name)?.has(label));
          expect(`${label} in ${expr}: ${ok}`).toBe(`${label} in ${expr}: true`);
        }
      }
    }
  });

  test("every panel reads the dashboard's data source variable", () => {
    for (const panel of dashboard.panels.filter((p) => p.type !== "row")) {
      // Grafana's variable syntax, not a template literal.
      expect(panel.datasource?.uid).toBe("$" + "{datasource}");
    }
  });
});
