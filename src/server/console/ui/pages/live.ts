import type { LiveEvent } from "../../../../observe/live-feed.ts";
import { apiError, storedKey } from "../api.ts";
import { formatInt, formatMs, formatTime, formatUsd, h } from "../dom.ts";

/** Rows kept on the page; older ones scroll off. */
const MAX_ROWS = 200;

const attemptsText = (event: LiveEvent) =>
  event.attempts.length <= 1
    ? String(event.attempts.length)
    : event.attempts.map((a) => `${a.provider}:${a.status === 0 ? a.outcome : a.status}`).join(" → ");

export function renderLive(main: HTMLElement, signal: AbortSignal): void {
  const events: LiveEvent[] = [];
  let paused = false;
  let stream: AbortController | null = null;
  const status = h("p", { class: "status-line", role: "status", "aria-live": "polite" }, "Connecting…");
  const tbody = h("tbody", null);
  const detail = h("section", { class: "detail", "aria-label": "Selected request" });
  const pauseButton = h("button", { type: "button", "aria-pressed": "false" }, "Pause");
  pauseButton.addEventListener("click", () => {
    paused = !paused;
    pauseButton.textContent = paused ? "Resume" : "Pause";
    pauseButton.setAttribute("aria-pressed", String(paused));
    if (paused) disconnect("Paused.");
    else connect();
  });
  const clearButton = h("button", { type: "button" }, "Clear");
  clearButton.addEventListener("click", () => {
    events.length = 0;
    tbody.replaceChildren(emptyRow());
    detail.replaceChildren();
  });
  const headers = [
    "Time",
    "Key",
    "Endpoint",
    "Model asked",
    "Answered by",
    "Attempts",
    "Status",
    "Latency",
    "TTFB",
    "Tokens in/out",
    "Cost",
    "Dropped",
  ];
  const emptyRow = () =>
    h("tr", null, h("td", { colspan: headers.length, class: "empty" }, "Waiting for requests…"));
  tbody.append(emptyRow());

  const show = (event: LiveEvent, row: HTMLTableRowElement) => {
    for (const selected of tbody.querySelectorAll("tr.selected")) selected.classList.remove("selected");
    row.classList.add("selected");
    detail.replaceChildren(
      h("h2", null, `Request ${event.request_id}`),
      h(
        "pre",
        { tabindex: 0, "aria-label": "Request record" },
        JSON.stringify({ ...event, bodies: undefined }, null, 2),
      ),
      ...(event.bodies.length > 0
        ? [
            h("h3", null, "Bodies"),
            ...event.bodies.map((body) =>
              h(
                "pre",
                { tabindex: 0, "aria-label": `Body: ${String(body.direction ?? "")}` },
                JSON.stringify(body, null, 2),
              ),
            ),
          ]
        : [
            h(
              "p",
              { class: "status-line" },
              "No bodies: they are shown when usage.log_bodies is on (captured only while this page is open).",
            ),
          ]),
    );
  };

  const addRow = (event: LiveEvent) => {
    if (events.length === 0) tbody.replaceChildren();
    events.unshift(event);
    const failed = event.status >= 400;
    const row = h(
      "tr",
      {
        class: "clickable",
        tabindex: 0,
        "data-request-id": event.request_id,
        "aria-label": `Request ${event.request_id}, status ${event.status}: show details`,
      },
      h("td", null, formatTime(event.time)),
      h("td", null, event.key ?? "–"),
      h("td", null, event.endpoint),
      h("td", null, event.model_requested ?? "–"),
      h(
        "td",
        { class: "wrap" },
        event.provider ? `${event.provider}/${event.model}` : "–",
        event.translated
          ? h(
              "span",
              { class: "muted", title: "translated between protocols" },
              " ⇄",
              h("span", { class: "sr-only" }, " translated"),
            )
          : null,
      ),
      h("td", null, attemptsText(event)),
      h(
        "td",
        { class: failed ? "bad" : "ok" },
        String(event.status),
        event.error_type ? ` ${event.error_type}` : "",
      ),
      h("td", { class: "num" }, formatMs(event.latency_ms)),
      h("td", { class: "num" }, formatMs(event.ttft_ms)),
      h("td", { class: "num" }, `${formatInt(event.input_tokens)} / ${formatInt(event.output_tokens)}`),
      h("td", { class: "num" }, formatUsd(event.cost_usd)),
      h("td", { class: "wrap" }, event.dropped.length > 0 ? event.dropped.join(", ") : "–"),
    );
    row.querySelectorAll("td").forEach((cell, i) => {
      cell.dataset.label = headers[i];
    });
    row.addEventListener("click", () => show(event, row));
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        show(event, row);
      }
    });
    tbody.prepend(row);
    if (events.length > MAX_ROWS) {
      events.pop();
      tbody.lastElementChild?.remove();
    }
  };

  function disconnect(message: string): void {
    stream?.abort();
    stream = null;
    status.textContent = message;
  }

  async function connect(): Promise<void> {
    if (stream || paused || document.hidden || signal.aborted) return;
    const controller = new AbortController();
    stream = controller;
    try {
      const response = await fetch("/admin/live", {
        headers: { authorization: `Bearer ${storedKey() ?? ""}`, accept: "text/event-stream" },
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        const error = await apiError(response);
        status.textContent = `Not connected: ${error.message}`;
        stream = null;
        return;
      }
      status.textContent = "Connected: new requests appear at the top.";
      await readEvents(response.body, (name, data) => {
        if (name === "request") addRow(JSON.parse(data) as LiveEvent);
        else if (name === "dropped")
          status.textContent = `Connected; ${JSON.parse(data).dropped} events skipped (too many at once).`;
      });
      if (stream === controller) {
        stream = null;
        status.textContent = "Disconnected; reconnecting…";
        setTimeout(() => void connect(), 2000);
      }
    } catch {
      if (stream === controller) {
        stream = null;
        status.textContent = "Disconnected; reconnecting…";
        setTimeout(() => void connect(), 2000);
      }
    }
  }

  // A hidden tab holds no stream open: the gateway then builds no events for it.
  const onVisibility = () => {
    if (document.hidden) disconnect("Paused while the tab is hidden.");
    else void connect();
  };
  document.addEventListener("visibilitychange", onVisibility);
  signal.addEventListener("abort", () => {
    document.removeEventListener("visibilitychange", onVisibility);
    disconnect("");
  });

  main.replaceChildren(
    h("h1", null, "Live"),
    h("div", { class: "toolbar center" }, pauseButton, clearButton, status),
    h(
      "div",
      {
        class: "table-wrap",
        role: "region",
        "aria-label": "Finished requests, newest first; select a row for its record",
        tabindex: 0,
      },
      h(
        "table",
        { class: "stack" },
        h("caption", null, "Finished requests, newest first"),
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            headers.map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        tbody,
      ),
    ),
    detail,
  );
  void connect();
}

/** Reads a text/event-stream body: calls `onEvent(name, data)` per event (comments skipped). */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (name: string, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) onEvent(name, data.join("\n"));
      end = buffer.indexOf("\n\n");
    }
  }
}
