import { asString } from "../../ir/guards.ts";
import type { IRCitation } from "../../ir/types.ts";

/**
 * Citations of one span of the answer text [start, end) → Chat Completions `message.annotations`.
 * A source with a URL (Anthropic `web_search_result_location`, or a `search_result_location` whose
 * source is an http(s) URL) is OpenAI's own `url_citation`; any other (a document's
 * `char_location`, `page_location`, `content_block_location`, a search result without a URL) has
 * no OpenAI form and becomes a `document_citation` carrying the citation as the provider gave it
 * (docs/translation.md, "Citations"). Offsets count UTF-16 code units of `message.content`.
 */
export function toOpenAIAnnotations(
  citations: IRCitation[],
  start: number,
  end: number,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const citation of citations) {
    const annotation = toAnnotation(citation, start, end);
    const key = JSON.stringify(annotation);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(annotation);
  }
  return out;
}

function toAnnotation(citation: IRCitation, start: number, end: number): Record<string, unknown> {
  const url = citationUrl(citation);
  if (url !== undefined) {
    return {
      type: "url_citation",
      url_citation: { url, title: asString(citation.title) ?? "", start_index: start, end_index: end },
    };
  }
  return {
    type: "document_citation",
    document_citation: { ...citation, start_index: start, end_index: end },
  };
}

function citationUrl(citation: IRCitation): string | undefined {
  const url = asString(citation.url) ?? asString(citation.source);
  return url !== undefined && /^https?:\/\//i.test(url) ? url : undefined;
}
