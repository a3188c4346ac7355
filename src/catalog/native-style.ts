import type { NativeStyle } from "./catalog-data.ts";

/** The model part as the vendor's own API spells it: `claude-opus-4.8` → `claude-opus-4-8`. */
export function toNativeModel(style: NativeStyle, model: string): string {
  switch (style) {
    case "as_is":
      return model;
    case "dashed_versions":
      return model.replaceAll(".", "-");
    case "minimax_capitals":
      return capitalizeMiniMax(model);
    default: {
      const unknownStyle: never = style;
      throw new Error(`no native style ${String(unknownStyle)}`);
    }
  }
}

/** The model part as the canonical id spells it: `claude-opus-4-8` → `claude-opus-4.8`. */
export function toCanonicalModel(style: NativeStyle, model: string): string {
  switch (style) {
    case "as_is":
      return model;
    case "dashed_versions":
      return dotVersionNumbers(model);
    case "minimax_capitals":
      return model.toLowerCase();
    default: {
      const unknownStyle: never = style;
      throw new Error(`no native style ${String(unknownStyle)}`);
    }
  }
}

const VERSION_PART = /^[0-9]{1,2}$/;

/**
 * A dash between two short numbers is a version dot: `claude-3-5-sonnet` → `claude-3.5-sonnet`,
 * `claude-sonnet-4-5-20250929` → `claude-sonnet-4.5-20250929` (a date snapshot is not a version).
 */
function dotVersionNumbers(model: string): string {
  const parts = model.split("-");
  let out = parts[0] ?? "";
  for (let i = 1; i < parts.length; i++) {
    const dot = VERSION_PART.test(parts[i - 1] ?? "") && VERSION_PART.test(parts[i] ?? "");
    out += `${dot ? "." : "-"}${parts[i]}`;
  }
  return out;
}

/** `minimax-m2.5` → `MiniMax-M2.5`; an id outside the `minimax-` family is left as is. */
function capitalizeMiniMax(model: string): string {
  const prefix = "minimax-";
  if (!model.toLowerCase().startsWith(prefix)) return model;
  const rest = model.slice(prefix.length).split("-");
  return `MiniMax-${rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("-")}`;
}
