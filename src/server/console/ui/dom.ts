type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** `h("button", { type: "button", onclick: f }, "Pause")`: an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export const formatInt = (n: number): string => integer.format(n);
export const formatCompact = (n: number): string =>
  Math.abs(n) < 10_000 ? integer.format(n) : compact.format(n);
export const formatUsd = (n: number | null): string =>
  n === null ? "–" : n === 0 ? "$0" : n < 0.01 ? `$${n.toPrecision(2)}` : `$${n.toFixed(2)}`;
export const formatMs = (n: number | null): string =>
  n === null ? "–" : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`;
export const formatPercent = (n: number): string => `${(n * 100).toFixed(n > 0 && n < 0.1 ? 1 : 0)}%`;
export const formatTime = (ms: number): string => new Date(ms).toLocaleTimeString("en-GB", { hour12: false });
export const formatDateTime = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");

/** A table with a caption (for screen readers), header cells with scope, and the given rows. */
export function table(
  caption: string,
  headers: string[],
  rows: Child[][],
  numeric: number[] = [],
  wrap: number[] = [0],
): HTMLElement {
  const numericSet = new Set(numeric);
  const wrapSet = new Set(wrap);
  return h(
    "div",
    { class: "table-wrap", tabindex: 0, role: "region", "aria-label": caption },
    h(
      "table",
      { class: "stack" },
      h("caption", null, caption),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          headers.map((text, i) => h("th", { scope: "col", class: numericSet.has(i) ? "num" : null }, text)),
        ),
      ),
      h(
        "tbody",
        null,
        rows.length
          ? rows.map((cells) =>
              h(
                "tr",
                null,
                cells.map((cell, i) =>
                  h(
                    "td",
                    {
                      class: numericSet.has(i) ? "num" : wrapSet.has(i) ? "wrap" : null,
                      "data-label": headers[i],
                    },
                    cell,
                  ),
                ),
              ),
            )
          : h("tr", null, h("td", { colspan: headers.length, class: "empty" }, "No data in this range.")),
      ),
    ),
  );
}

export function stat(label: string, value: string, testId: string): HTMLElement {
  return h(
    "div",
    { class: "stat", "data-stat": testId },
    h("div", { class: "stat-label" }, label),
    h("div", { class: "stat-value" }, value),
  );
}
