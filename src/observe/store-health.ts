/**
 * Whether a shared store (the limits' Redis, the usage database) is answering, as the code that
 * talks to it last found. A change is reported once (to the logger, by the runtime), not per
 * request; /ready, /metrics and `check --probe` show the current view.
 */

export type StoreName = "limits" | "usage";
/** `connecting`: not yet reached since the start (requests are decided as when down, unlogged). */
export type StoreState = "connecting" | "up" | "down";

export interface StoreHealthView {
  /** `memory`, `redis`, `sqlite` or `postgres`. */
  kind: string;
  state: StoreState;
  /** ISO time of the last change (or of the start). */
  since: string;
  /** Why it is down; absent when up. */
  reason?: string;
  /** Requests (limits) or failed writes (usage) handled without the store since the start. */
  fallbacks: number;
}

export type StoreChangeListener = (store: StoreName, view: StoreHealthView, was: StoreState) => void;

export class StoreHealth {
  private current: StoreState;
  private why: string | undefined;
  private changedAt = Date.now();
  private fallbackCount = 0;

  constructor(
    readonly store: StoreName,
    readonly kind: string,
    private readonly onChange: StoreChangeListener = () => {},
    initial: StoreState = "up",
  ) {
    this.current = initial;
  }

  get state(): StoreState {
    return this.current;
  }

  markUp(): void {
    if (this.current === "up") return;
    const was = this.current;
    this.current = "up";
    this.why = undefined;
    this.changedAt = Date.now();
    this.onChange(this.store, this.view(), was);
  }

  markDown(reason: string): void {
    const cleaned = redactCredentials(reason);
    if (this.current === "down") {
      this.why = cleaned;
      return;
    }
    const was = this.current;
    this.current = "down";
    this.why = cleaned;
    this.changedAt = Date.now();
    this.onChange(this.store, this.view(), was);
  }

  countFallback(n = 1): void {
    this.fallbackCount += n;
  }

  view(): StoreHealthView {
    const view: StoreHealthView = {
      kind: this.kind,
      state: this.current,
      since: new Date(this.changedAt).toISOString(),
      fallbacks: this.fallbackCount,
    };
    if (this.why !== undefined) view.reason = this.why;
    return view;
  }
}

/** Error texts may quote a connection URL: keep its scheme and host, never its user or password. */
export function redactCredentials(text: string): string {
  return text.replace(/:\/\/[^/@\s]*@/g, "://***@").slice(0, 300);
}

/** The error's message, for a `reason`. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
