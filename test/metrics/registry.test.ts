import { describe, expect, test } from "bun:test";
import { escapeLabelValue, Registry } from "../../src/metrics/registry.ts";
import { parseExposition, sampleValue } from "./parse-exposition.ts";

describe("Registry", () => {
  test("renders counters, gauges and histograms in the text format, exactly", () => {
    const r = new Registry();
    const c = r.counter("t_requests_total", "Requests.", ["code"]);
    const g = r.gauge("t_in_flight", "In flight.");
    const h = r.histogram("t_seconds", "Latency.", ["route"], [0.1, 1]);
    c.inc(["200"]);
    c.inc(["200"], 2);
    c.inc(["500"]);
    g.set([], 3);
    h.observe(["/a"], 0.05);
    h.observe(["/a"], 0.1); // le is inclusive
    h.observe(["/a"], 5);
    expect(r.render()).toBe(
      [
        "# HELP t_requests_total Requests.",
        "# TYPE t_requests_total counter",
        't_requests_total{code="200"} 3',
        't_requests_total{code="500"} 1',
        "# HELP t_in_flight In flight.",
        "# TYPE t_in_flight gauge",
        "t_in_flight 3",
        "# HELP t_seconds Latency.",
        "# TYPE t_seconds histogram",
        't_seconds_bucket{route="/a",le="0.1"} 2',
        't_seconds_bucket{route="/a",le="1"} 2',
        't_seconds_bucket{route="/a",le="+Inf"} 3',
        't_seconds_sum{route="/a"} 5.15',
        't_seconds_count{route="/a"} 3',
        "",
      ].join("\n"),
    );
  });

  test("label values are escaped and parse back to the original", () => {
    const nasty = 'a"b\\c\nd';
    expect(escapeLabelValue(nasty)).toBe('a\\"b\\\\c\\nd');
    const r = new Registry();
    r.counter("t_total", "T.", ["key"]).inc([nasty]);
    const parsed = parseExposition(r.render());
    expect(parsed.samples[0]!.labels.key).toBe(nasty);
    expect(sampleValue(parsed, "t_total", { key: nasty })).toBe(1);
  });

  test("counters never go down", () => {
    const r = new Registry();
    const c = r.counter("t_total", "T.");
    c.inc([], 5);
    c.inc([], -3);
    c.inc([], Number.NaN);
    c.setTotal([], 2);
    expect(c.get()).toBe(5);
    c.setTotal([], 9);
    expect(c.get()).toBe(9);
  });
});
