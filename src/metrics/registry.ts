/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * exposition format 0.0.4. Series are looked up by their label values joined once, so an
 * observation costs a Map lookup and a few additions.
 */

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type LabelValues = ReadonlyArray<string>;

// Label values never contain this, so the join is unambiguous.
const SEP = "\u0000";

/** Escapes a label value: backslash, double quote and newline (the format's three escapes). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Escapes HELP text: backslash and newline. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Go-style float formatting the format expects: integers plain, +Inf/-Inf/NaN spelled out. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function toLabelText(names: ReadonlyArray<string>, values: LabelValues, extra?: string): string {
  const parts = names.map((name, i) => `${name}="${escapeLabelValue(values[i] ?? "")}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(",")}}` : "";
}

abstract class Metric<S> {
  protected readonly series = new Map<string, { values: LabelValues; labelText: string; state: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: ReadonlyArray<string>,
  ) {}

  abstract readonly type: "counter" | "gauge" | "histogram";
  protected abstract initial(): S;
  protected abstract renderSeries(labelText: string, values: LabelValues, state: S, out: string[]): void;

  /** The series for these label values (created on first use). Callers may keep it: hot paths do. */
  labels(...values: string[]): S {
    return this.seriesFor(values);
  }

  protected seriesFor(values: LabelValues): S {
    const id = values.length === 1 ? values[0]! : values.join(SEP);
    let entry = this.series.get(id);
    if (!entry) {
      entry = { values: [...values], labelText: toLabelText(this.labelNames, values), state: this.initial() };
      this.series.set(id, entry);
    }
    return entry.state;
  }

  /** Forgets every series (gauges set from a snapshot). */
  reset(): void {
    this.series.clear();
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}`);
    out.push(`# TYPE ${this.name} ${this.type}`);
    for (const { values, labelText, state } of this.series.values())
      this.renderSeries(labelText, values, state, out);
  }
}

/** One labelled counter series; keep it to skip the label lookup. */
export class CounterSeries {
  value = 0;
  inc(by = 1): void {
    if (by > 0) this.value += by; // counters only go up; NaN fails the test too
  }
}

/** One labelled gauge series. */
export class GaugeSeries {
  value = 0;
  set(value: number): void {
    this.value = value;
  }
}

export class Counter extends Metric<CounterSeries> {
  readonly type = "counter";
  protected initial() {
    return new CounterSeries();
  }
  inc(values: LabelValues = [], by = 1): void {
    this.seriesFor(values).inc(by);
  }
  /** For counters mirrored from a cumulative source (e.g. the usage recorder's dropped count). */
  setTotal(values: LabelValues, total: number): void {
    const state = this.seriesFor(values);
    if (total >= state.value) state.value = total;
  }
  get(values: LabelValues = []): number {
    return this.seriesFor(values).value;
  }
  protected renderSeries(
    labelText: string,
    _values: LabelValues,
    state: { value: number },
    out: string[],
  ): void {
    out.push(`${this.name}${labelText} ${formatSampleValue(state.value)}`);
  }
}

export class Gauge extends Metric<GaugeSeries> {
  readonly type = "gauge";
  protected initial() {
    return new GaugeSeries();
  }
  set(values: LabelValues, value: number): void {
    this.seriesFor(values).value = value;
  }
  inc(values: LabelValues = [], by = 1): void {
    this.seriesFor(values).value += by;
  }
  dec(values: LabelValues = [], by = 1): void {
    this.seriesFor(values).value -= by;
  }
  get(values: LabelValues = []): number {
    return this.seriesFor(values).value;
  }
  protected renderSeries(
    labelText: string,
    _values: LabelValues,
    state: { value: number },
    out: string[],
  ): void {
    out.push(`${this.name}${labelText} ${formatSampleValue(state.value)}`);
  }
}

/** One labelled histogram series. */
export class HistogramSeries {
  /** Per-bucket (non-cumulative) counts; the last slot is +Inf. */
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(private readonly buckets: ReadonlyArray<number>) {
    this.counts = new Array(buckets.length + 1).fill(0);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

export class Histogram extends Metric<HistogramSeries> {
  readonly type = "histogram";
  private readonly leTexts: string[];

  constructor(
    name: string,
    help: string,
    labelNames: ReadonlyArray<string>,
    readonly buckets: ReadonlyArray<number>,
  ) {
    super(name, help, labelNames);
    this.leTexts = [...buckets.map((b) => formatSampleValue(b)), "+Inf"];
  }

  protected initial(): HistogramSeries {
    return new HistogramSeries(this.buckets);
  }

  observe(values: LabelValues, value: number): void {
    this.seriesFor(values).observe(value);
  }

  protected renderSeries(
    _labelText: string,
    values: LabelValues,
    state: HistogramSeries,
    out: string[],
  ): void {
    let cumulative = 0;
    for (let i = 0; i < this.leTexts.length; i++) {
      cumulative += state.counts[i]!;
      const labels = toLabelText(this.labelNames, values, `le="${this.leTexts[i]}"`);
      out.push(`${this.name}_bucket${labels} ${cumulative}`);
    }
    const labelText = toLabelText(this.labelNames, values);
    out.push(`${this.name}_sum${labelText} ${formatSampleValue(state.sum)}`);
    out.push(`${this.name}_count${labelText} ${state.count}`);
  }
}

/** Owns metrics and renders them in registration order. */
export class Registry {
  private readonly metrics: Array<{ render(out: string[]): void }> = [];

  counter(name: string, help: string, labelNames: ReadonlyArray<string> = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }
  gauge(name: string, help: string, labelNames: ReadonlyArray<string> = []): Gauge {
    return this.add(new Gauge(name, help, labelNames));
  }
  histogram(
    name: string,
    help: string,
    labelNames: ReadonlyArray<string>,
    buckets: ReadonlyArray<number>,
  ): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }

  render(): string {
    const out: string[] = [];
    for (const metric of this.metrics) metric.render(out);
    return `${out.join("\n")}\n`;
  }

  private add<M extends { render(out: string[]): void }>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
}
