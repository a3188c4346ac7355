import { asArray, asString, isRecord, type JsonObject } from "../../ir/guards.ts";
import { markOpenAIReasoning } from "./reasoning-stash.ts";

/**
 * What the IR keeps of a Responses `reasoning` output item: its text (the summary parts joined
 * with a blank line; xAI, which returns no summary, puts raw `reasoning_text` in `content`) and,
 * when the item carries `encrypted_content`, the `openai:<id>:<enc>` stash that lets a client of
 * any protocol hand the item back on its next turn.
 */
export function readReasoningItem(item: JsonObject): { text: string; signature?: string } {
  const texts = (entries: unknown, type: string): string[] =>
    asArray(entries).flatMap((e) =>
      isRecord(e) && e.type === type && typeof e.text === "string" ? [e.text] : [],
    );
  const summary = texts(item.summary, "summary_text");
  const text = (summary.length > 0 ? summary : texts(item.content, "reasoning_text")).join("\n\n");
  const id = asString(item.id);
  const encrypted = asString(item.encrypted_content);
  return id && encrypted ? { text, signature: markOpenAIReasoning(id, encrypted) } : { text };
}
