/**
 * Gemini `generateContent` wire shapes (v1beta, Google AI Studio), only the fields Switchboard
 * reads or writes. Responses are parsed as `unknown` and narrowed with the guards in
 * read-gemini-json.ts; these types describe what the guards hand out.
 */

export interface GeminiInlineData {
  mimeType: string;
  data: string;
}

export interface GeminiFileData {
  fileUri: string;
  mimeType?: string;
}

export interface GeminiFunctionCall {
  id?: string;
  name: string;
  args?: Record<string, unknown>;
}

export interface GeminiFunctionResponse {
  id?: string;
  name: string;
  response: Record<string, unknown>;
}

export interface GeminiPart {
  text?: string;
  /** The part is a thought (summary) rather than answer text. */
  thought?: boolean;
  /** Opaque token Gemini needs back on the same part in the next turn. */
  thoughtSignature?: string;
  inlineData?: GeminiInlineData;
  fileData?: GeminiFileData;
  functionCall?: GeminiFunctionCall;
  functionResponse?: GeminiFunctionResponse;
}

export type GeminiRole = "user" | "model";

export interface GeminiContent {
  role: GeminiRole;
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** Full JSON Schema (Gemini 2.5+), used instead of the OpenAPI-subset `parameters`. */
  parametersJsonSchema?: Record<string, unknown>;
}

export interface GeminiTool {
  functionDeclarations: GeminiFunctionDeclaration[];
}

export type GeminiFunctionCallingMode = "AUTO" | "ANY" | "NONE";

export interface GeminiToolConfig {
  functionCallingConfig: {
    mode: GeminiFunctionCallingMode;
    allowedFunctionNames?: string[];
  };
}

export type GeminiThinkingLevel = "minimal" | "low" | "medium" | "high";

export interface GeminiThinkingConfig {
  thinkingBudget?: number;
  thinkingLevel?: GeminiThinkingLevel;
  includeThoughts?: boolean;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  candidateCount?: number;
  responseMimeType?: string;
  responseJsonSchema?: Record<string, unknown>;
  thinkingConfig?: GeminiThinkingConfig;
}

export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  /** Part of promptTokenCount that was served from the context cache. */
  cachedContentTokenCount?: number;
  /** Output tokens, thoughts excluded. */
  candidatesTokenCount?: number;
  /** Thinking tokens, not included in candidatesTokenCount. */
  thoughtsTokenCount?: number;
  /** Prompt tokens of tool-use results (code execution, search), not in promptTokenCount. */
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

export interface GeminiCandidate {
  content?: { role?: string; parts?: GeminiPart[] };
  finishReason?: string;
  finishMessage?: string;
  index?: number;
}

export interface GeminiPromptFeedback {
  blockReason?: string;
  blockReasonMessage?: string;
}

export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: GeminiPromptFeedback;
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  /** Vertex only. */
  createTime?: string;
}

/** Google RPC error body, `{"error": {...}}`; also arrives as an SSE `data:` line. */
export interface GeminiError {
  code?: number;
  message?: string;
  status?: string;
}
