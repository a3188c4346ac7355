import type { IRMediaSource } from "./types.ts";

const DATA_URL = /^data:([^;,]+)?(?:;[^;,=]+=[^;,]*)*;base64,(.*)$/s;

/** `data:<type>;base64,<data>` → base64 media source; any other URL stays a URL. */
export function fromMediaUrl(url: string): IRMediaSource {
  const match = DATA_URL.exec(url);
  if (match)
    return { kind: "base64", mediaType: match[1] ?? "application/octet-stream", data: match[2] ?? "" };
  return { kind: "url", url };
}

export const toDataUrl = (mediaType: string, data: string): string => `data:${mediaType};base64,${data}`;
