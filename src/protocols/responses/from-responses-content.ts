import { invalidRequest } from "../../errors/gateway-error.ts";
import { fromMediaUrl } from "../../ir/data-url.ts";
import { asArray, asString, isRecord, type JsonObject } from "../../ir/guards.ts";
import type { IRDocumentPart, IRImagePart, IRTextPart } from "../../ir/types.ts";

export type IRInputPart = IRTextPart | IRImagePart | IRDocumentPart;

/** A user message's content, or a tool's output: a string, or input_text/input_image/input_file parts. */
export function fromInputContent(content: unknown, path: string): IRInputPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return asArray(content).map((part, i) => fromInputPart(part, `${path}[${i}]`));
}

/** System and developer messages become system prompt text: only text parts can go there. */
export function fromTextContent(content: unknown, path: string): IRTextPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return asArray(content).map((part, i) => {
    if (isRecord(part) && part.type === "input_text" && typeof part.text === "string")
      return { type: "text", text: part.text };
    throw invalidRequest(`${path}[${i}]: a system or developer message can only hold text`, `${path}[${i}]`);
  });
}

/** An assistant message replayed by the client: output_text (or input_text) and refusal parts, as text. */
export function fromAssistantContent(content: unknown, path: string): IRTextPart[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  return asArray(content).map((part, i) => {
    if (isRecord(part)) {
      if ((part.type === "output_text" || part.type === "input_text") && typeof part.text === "string")
        return { type: "text", text: part.text };
      if (part.type === "refusal" && typeof part.refusal === "string")
        return { type: "text", text: part.refusal };
    }
    throw invalidRequest(`${path}[${i}]: assistant content must be text or a refusal`, `${path}[${i}]`);
  });
}

function fromInputPart(part: unknown, path: string): IRInputPart {
  if (!isRecord(part)) throw invalidRequest(`${path} must be an object`, path);
  switch (part.type) {
    case "input_text":
      return { type: "text", text: asString(part.text) ?? "" };
    case "input_image":
      return fromInputImage(part, path);
    case "input_file":
      return fromInputFile(part, path);
    default:
      throw invalidRequest(
        `${path}.type '${String(part.type)}' cannot be translated for this provider`,
        `${path}.type`,
        "unsupported_parameter",
      );
  }
}

function fromInputImage(part: JsonObject, path: string): IRImagePart {
  const url = asString(part.image_url);
  const fileId = asString(part.file_id);
  let image: IRImagePart;
  if (url) image = { type: "image", source: fromMediaUrl(url) };
  else if (fileId) image = { type: "image", source: { kind: "file_id", fileId } };
  else throw invalidRequest(`${path} needs image_url or file_id`, path);
  const detail = asString(part.detail);
  if (detail) image.detail = detail;
  return image;
}

function fromInputFile(part: JsonObject, path: string): IRDocumentPart {
  const data = asString(part.file_data);
  const fileId = asString(part.file_id);
  const url = asString(part.file_url);
  let document: IRDocumentPart;
  // The API takes a data URL; bare base64 is read as a PDF, as the Chat Completions decoder does.
  if (data)
    document = {
      type: "document",
      source: fromMediaUrl(data.startsWith("data:") ? data : `data:application/pdf;base64,${data}`),
    };
  else if (fileId) document = { type: "document", source: { kind: "file_id", fileId } };
  else if (url) document = { type: "document", source: { kind: "url", url } };
  else throw invalidRequest(`${path} needs file_data, file_id or file_url`, path);
  const filename = asString(part.filename);
  if (filename) document.filename = filename;
  return document;
}
