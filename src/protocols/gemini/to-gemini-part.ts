import type { EncodeContext } from "../../ir/codec.ts";
import { fromMediaUrl } from "../../ir/data-url.ts";
import { rejectField } from "../../ir/drop-policy.ts";
import type { IRDocumentPart, IRImagePart } from "../../ir/types.ts";
import type { GeminiPart } from "./gemini-api.ts";

const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
  txt: "text/plain",
};

function guessMimeType(url: string): string | undefined {
  const path = url.split(/[?#]/)[0] ?? "";
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? MIME_BY_EXTENSION[ext] : undefined;
}

/**
 * An image or document → a Gemini part. Base64 (and `data:` URLs) become inlineData. Other URLs
 * become fileData with the URL as fileUri: Gemini fetches public http(s) URLs itself (and
 * gs:// / YouTube / Files API URIs), so the gateway never downloads client-chosen URLs.
 * File ids of OpenAI/Anthropic file stores mean nothing to Gemini: 400.
 */
export function toGeminiMediaPart(
  part: IRImagePart | IRDocumentPart,
  context: EncodeContext,
  param: string,
): GeminiPart {
  const source = part.source;
  switch (source.kind) {
    case "base64":
      return { inlineData: { mimeType: source.mediaType, data: source.data } };
    case "text":
      return { text: source.text };
    case "file_id":
      return rejectField(
        context,
        `${param}.file_id`,
        "Gemini cannot read files uploaded to another provider",
      );
    case "url": {
      const media = fromMediaUrl(source.url);
      if (media.kind === "base64") return { inlineData: { mimeType: media.mediaType, data: media.data } };
      // Only public web URLs: on Vertex a `gs://` URI is read with the operator's project identity,
      // so a client could make the gateway's account read private buckets for it.
      if (!/^https?:\/\//i.test(source.url))
        return rejectField(context, `${param}.url`, "only https (or data:) URLs can be passed to Gemini");
      const mimeType =
        guessMimeType(source.url) ?? (part.type === "document" ? "application/pdf" : undefined);
      return { fileData: mimeType ? { fileUri: source.url, mimeType } : { fileUri: source.url } };
    }
  }
}
