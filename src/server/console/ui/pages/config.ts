import { getJson } from "../api.ts";
import { formatDateTime, h } from "../dom.ts";

interface ConfigBody {
  version: string;
  started_at: string;
  uptime_seconds: number;
  source: string | null;
  last_reload: { at: string; ok: boolean; problems: string[] } | null;
  config: unknown;
  check: string;
}

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return d ? `${d}d ${hours}h ${m}m` : hours ? `${hours}h ${m}m` : `${m}m ${s}s`;
}

export async function renderConfig(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const body = await getJson<ConfigBody>("/admin/config");
  if (signal.aborted) return;
  const reload = body.last_reload;
  main.replaceChildren(
    h("h1", null, "Config"),
    h(
      "section",
      { class: "panel", "aria-label": "Process" },
      h(
        "dl",
        { class: "facts" },
        h("dt", null, "Version"),
        h("dd", { "data-fact": "version" }, body.version),
        h("dt", null, "Uptime"),
        h(
          "dd",
          { "data-fact": "uptime" },
          `${formatUptime(body.uptime_seconds)} (since ${formatDateTime(Date.parse(body.started_at))})`,
        ),
        h("dt", null, "Config file"),
        h("dd", null, body.source ?? "none (zero-config mode)"),
        h("dt", null, "Last reload"),
        h(
          "dd",
          { "data-fact": "reload" },
          reload
            ? [
                formatDateTime(Date.parse(reload.at)),
                " ",
                h("span", { class: `badge ${reload.ok ? "ok" : "bad"}` }, reload.ok ? "applied" : "rejected"),
                reload.problems.length
                  ? h(
                      "ul",
                      null,
                      reload.problems.map((p) => h("li", null, p)),
                    )
                  : null,
              ]
            : "none since start (send SIGHUP to reload)",
        ),
      ),
    ),
    h("h2", null, "As switchboard check describes it"),
    h("pre", { tabindex: 0, "aria-label": "switchboard check output" }, body.check),
    h(
      "details",
      null,
      h("summary", null, "Resolved config (JSON, secrets redacted)"),
      h(
        "pre",
        { tabindex: 0, "aria-label": "Resolved config as JSON" },
        JSON.stringify(body.config, null, 2),
      ),
    ),
  );
}
