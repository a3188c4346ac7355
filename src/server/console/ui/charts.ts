import uPlot from "uplot";

/** Colour-blind-safe (Okabe–Ito), readable on light and dark backgrounds. */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#999999",
];

export interface ChartSeries {
  label: string;
  values: number[];
  color?: string;
}

export interface ChartOptions {
  /** Shown above the chart and given to screen readers with the latest values. */
  title: string;
  /** Bucket starts, epoch ms. */
  times: number[];
  series: ChartSeries[];
  /** Stack the series (each drawn as the sum of itself and those before it). */
  stacked?: boolean;
  bars?: boolean;
  format?: (n: number) => string;
  height?: number;
}

/** A uPlot time chart in a figure, resized with its container; returns the figure. */
export function timeChart(options: ChartOptions): HTMLElement {
  const figure = document.createElement("figure");
  figure.className = "chart";
  const caption = document.createElement("figcaption");
  caption.textContent = options.title;
  figure.append(caption);
  const area = document.createElement("div");
  area.className = "chart-area";
  area.setAttribute("role", "img");
  const totals = options.series.map((s) => `${s.label} ${sum(s.values)}`).join(", ");
  area.setAttribute("aria-label", `${options.title}: totals ${totals}`);
  figure.append(area);

  const format = options.format ?? ((n: number) => String(n));
  const xs = options.times.map((t) => t / 1000);
  // Stacked: series i holds the sum of series 0…i; drawn top-most sum first so each band shows.
  const shown = options.stacked ? cumulative(options.series) : options.series;
  const order = options.stacked ? [...shown.keys()].reverse() : [...shown.keys()];
  const data: uPlot.AlignedData = [xs, ...order.map((i) => shown[i].values)];
  const bars = options.bars ? uPlot.paths.bars?.({ size: [0.7, 48] }) : undefined;
  const series: uPlot.Series[] = [
    {},
    ...order.map((i) => {
      const color = options.series[i].color ?? PALETTE[i % PALETTE.length];
      return {
        label: options.series[i].label,
        stroke: color,
        fill: options.stacked || options.bars ? `${color}cc` : `${color}22`,
        width: 1.5,
        points: { show: false },
        paths: bars,
        // The legend shows the series' own value, not the stacked sum.
        value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) =>
          idx === null ? "–" : format(options.series[i].values[idx] ?? 0),
      } satisfies uPlot.Series;
    }),
  ];
  const make = (width: number) =>
    new uPlot(
      {
        width,
        height: options.height ?? 200,
        series,
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: {
            time: true,
            // Bars are centred on their bucket: half a bucket of room each side keeps the edge ones whole.
            range: (_u, min, max) => {
              const pad = options.bars && xs.length > 1 ? (xs[1] - xs[0]) / 2 : 0;
              return [min - pad, max + pad];
            },
          },
        },
        axes: [
          { stroke: "currentColor", grid: { stroke: "#8884", width: 1 }, ticks: { stroke: "#8884" } },
          {
            stroke: "currentColor",
            grid: { stroke: "#8884", width: 1 },
            ticks: { stroke: "#8884" },
            // Wide enough for the longest label (`$0.00010`), measured in characters of the axis font.
            size: (_u, values) => 16 + 7 * Math.max(3, ...(values ?? []).map((v) => String(v).length)),
            values: (_u, splits) => splits.map((v) => format(v)),
          },
        ],
        legend: { live: true },
      },
      data,
      area,
    );
  let plot: uPlot | null = null;
  // Built once the figure is in the page and has a width; rebuilt on resize.
  const observer = new ResizeObserver(() => {
    const width = Math.max(240, Math.floor(area.clientWidth));
    if (!plot) plot = make(width);
    else if (Math.abs(plot.width - width) > 2) plot.setSize({ width, height: options.height ?? 200 });
  });
  observer.observe(area);
  return figure;
}

function cumulative(series: ChartSeries[]): ChartSeries[] {
  const running: number[] = [];
  return series.map((s) => {
    const values = s.values.map((v, i) => {
      running[i] = (running[i] ?? 0) + v;
      return running[i];
    });
    return { ...s, values };
  });
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
