/** What the thinking controls of a Gemini model id look like; ids are matched loosely. */
export interface GeminiModelFamily {
  /** Gemini 3 and later steer thinking with thinkingLevel; 2.5 with thinkingBudget. */
  usesThinkingLevel: boolean;
  /** Pro models cannot turn thinking off and accept fewer levels. */
  pro: boolean;
  /** Smallest budget that keeps thinking on, and the largest accepted (2.5 family). */
  minBudget: number;
  maxBudget: number;
  /** Whether thinkingBudget 0 (thinking off) is accepted. */
  canDisable: boolean;
}

export function readGeminiModelFamily(model: string): GeminiModelFamily {
  const id = model.replace(/^models\//, "").toLowerCase();
  const major = Number(/gemini-(\d+)/.exec(id)?.[1] ?? "0");
  const pro = id.includes("-pro");
  const lite = id.includes("-lite");
  return {
    usesThinkingLevel: major >= 3,
    pro,
    minBudget: pro ? 128 : lite ? 512 : 1,
    maxBudget: pro ? 32768 : 24576,
    canDisable: !pro,
  };
}
