import { ApiError, forgetKey, getJson, signInMessage, storedKey, storeKey } from "./api.ts";
import { h } from "./dom.ts";
import { renderConfig } from "./pages/config.ts";
import { renderLive } from "./pages/live.ts";
import { renderOverview } from "./pages/overview.ts";
import { renderProviders } from "./pages/providers.ts";
import { renderUsage } from "./pages/usage.ts";
import { installStyles } from "./styles.ts";

/** A page draws into `main`; `signal` aborts when the operator navigates away. */
export type PageRenderer = (main: HTMLElement, signal: AbortSignal) => Promise<void> | void;

const PAGES: Array<{ id: string; label: string; render: PageRenderer }> = [
  { id: "overview", label: "Overview", render: renderOverview },
  { id: "usage", label: "Usage", render: renderUsage },
  { id: "providers", label: "Providers", render: renderProviders },
  { id: "live", label: "Live", render: renderLive },
  { id: "config", label: "Config", render: renderConfig },
];

const root = document.getElementById("app")!;
let current: AbortController | null = null;

function showSignIn(message: string | null): void {
  current?.abort();
  document.title = "Sign in · Switchboard console";
  const input = h("input", {
    id: "master-key",
    name: "key",
    type: "password",
    autocomplete: "current-password",
    required: true,
    "aria-describedby": "signin-help",
  });
  const alert = h(
    "div",
    { id: "signin-error", role: "alert", class: message ? "alert" : null },
    message ?? "",
  );
  const form = h(
    "form",
    {
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (!key) return;
        alert.textContent = "";
        alert.className = "";
        try {
          // Any admin endpoint proves the key: 401 invalid, 403 a virtual key.
          await getJson("/admin/config", key);
          storeKey(key);
          showConsole();
        } catch (error) {
          alert.textContent = signInMessage(error);
          alert.className = "alert";
          input.focus();
          input.select();
        }
      },
    },
    h("label", { for: "master-key" }, "Master key"),
    input,
    alert,
    h("button", { type: "submit", class: "primary" }, "Sign in"),
  );
  root.replaceChildren(
    h(
      "main",
      { class: "signin" },
      h("h1", null, "Switchboard console"),
      h(
        "p",
        { id: "signin-help" },
        "Sign in with the gateway's master key. It is kept in this tab only (sessionStorage) and sent as a Bearer header.",
      ),
      form,
    ),
  );
  input.focus();
}

function showConsole(): void {
  const links = PAGES.map((page) => h("a", { href: `#/${page.id}`, "data-page": page.id }, page.label));
  const main = h("main", { id: "main", tabindex: -1 });
  root.replaceChildren(
    h(
      "a",
      {
        class: "skip",
        href: "#main",
        onclick: (e: Event) => {
          e.preventDefault();
          main.focus();
        },
      },
      "Skip to content",
    ),
    h(
      "header",
      { class: "top" },
      h("span", { class: "brand" }, "Switchboard", h("small", null, "console")),
      h(
        "nav",
        { "aria-label": "Console pages" },
        h(
          "ul",
          null,
          links.map((link) => h("li", null, link)),
        ),
      ),
      h("span", { class: "spacer" }),
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            forgetKey();
            location.hash = "";
            showSignIn(null);
          },
        },
        "Sign out",
      ),
    ),
    main,
  );
  const route = async () => {
    const id = location.hash.replace(/^#\/?/, "") || "overview";
    const page = PAGES.find((p) => p.id === id) ?? PAGES[0];
    for (const link of links) {
      if (link.dataset.page === page.id) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    current?.abort();
    const controller = new AbortController();
    current = controller;
    document.title = `${page.label} · Switchboard console`;
    main.replaceChildren(
      h("h1", null, page.label),
      h("p", { class: "status-line", role: "status" }, "Loading…"),
    );
    try {
      await page.render(main, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        forgetKey();
        showSignIn(signInMessage(error));
        return;
      }
      main.replaceChildren(
        h("h1", null, page.label),
        h("div", { class: "alert", role: "alert" }, error instanceof Error ? error.message : String(error)),
      );
    }
  };
  window.onhashchange = () => void route();
  void route();
}

installStyles();
if (storedKey()) showConsole();
else showSignIn(null);
