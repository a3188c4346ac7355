/** The one SSE encoder: `event:` line when named, `data:` lines, blank line. */
export function encodeSSE(data: string, event?: string): string {
  const body = data.includes("\n") ? data.split("\n").join("\ndata: ") : data;
  return event ? `event: ${event}\ndata: ${body}\n\n` : `data: ${body}\n\n`;
}

export const encodeSSEComment = (text: string): string => `: ${text.replace(/[\r\n]+/g, " ")}\n\n`;
