import { asNumber, asString, isRecord } from "../../ir/guards.ts";
/**
 * Narrows untrusted upstream JSON to the Gemini wire types. Anything of the wrong type is left out
 * rather than trusted, so the mapping code never has to guard again.
 */
import type {
  GeminiCandidate,
  GeminiError,
  GeminiFunctionCall,
  GeminiPart,
  GeminiResponse,
  GeminiUsageMetadata,
} from "./gemini-api.ts";

const str = asString;
const num = asNumber;

function readFunctionCall(value: unknown): GeminiFunctionCall | undefined {
  if (!isRecord(value) || typeof value.name !== "string") return undefined;
  return {
    name: value.name,
    id: str(value.id),
    args: isRecord(value.args) ? value.args : undefined,
  };
}

export function readPart(value: unknown): GeminiPart | undefined {
  if (!isRecord(value)) return undefined;
  const part: GeminiPart = {};
  if (typeof value.text === "string") part.text = value.text;
  if (value.thought === true) part.thought = true;
  if (typeof value.thoughtSignature === "string") part.thoughtSignature = value.thoughtSignature;
  const call = readFunctionCall(value.functionCall);
  if (call) part.functionCall = call;
  if (isRecord(value.inlineData) && typeof value.inlineData.data === "string") {
    part.inlineData = { mimeType: str(value.inlineData.mimeType) ?? "", data: value.inlineData.data };
  }
  if (isRecord(value.functionResponse) && typeof value.functionResponse.name === "string") {
    part.functionResponse = {
      name: value.functionResponse.name,
      response: isRecord(value.functionResponse.response) ? value.functionResponse.response : {},
    };
  }
  return part;
}

function readCandidate(value: unknown): GeminiCandidate | undefined {
  if (!isRecord(value)) return undefined;
  const candidate: GeminiCandidate = {
    finishReason: str(value.finishReason),
    finishMessage: str(value.finishMessage),
    index: num(value.index),
  };
  if (isRecord(value.content)) {
    const parts = Array.isArray(value.content.parts) ? value.content.parts : [];
    candidate.content = {
      role: str(value.content.role),
      parts: parts.map(readPart).filter((p): p is GeminiPart => p !== undefined),
    };
  }
  return candidate;
}

function readUsage(value: unknown): GeminiUsageMetadata | undefined {
  if (!isRecord(value)) return undefined;
  return {
    promptTokenCount: num(value.promptTokenCount),
    cachedContentTokenCount: num(value.cachedContentTokenCount),
    candidatesTokenCount: num(value.candidatesTokenCount),
    thoughtsTokenCount: num(value.thoughtsTokenCount),
    toolUsePromptTokenCount: num(value.toolUsePromptTokenCount),
    totalTokenCount: num(value.totalTokenCount),
  };
}

/** Returns undefined when the value is not a JSON object at all. */
export function readGeminiResponse(value: unknown): GeminiResponse | undefined {
  if (!isRecord(value)) return undefined;
  const response: GeminiResponse = {
    modelVersion: str(value.modelVersion),
    responseId: str(value.responseId),
    createTime: str(value.createTime),
    usageMetadata: readUsage(value.usageMetadata),
  };
  if (Array.isArray(value.candidates)) {
    response.candidates = value.candidates
      .map(readCandidate)
      .filter((c): c is GeminiCandidate => c !== undefined);
  }
  if (isRecord(value.promptFeedback)) {
    response.promptFeedback = {
      blockReason: str(value.promptFeedback.blockReason),
      blockReasonMessage: str(value.promptFeedback.blockReasonMessage),
    };
  }
  return response;
}

/** The `error` object of a Google RPC error body, if the value is one. */
export function readGeminiError(value: unknown): GeminiError | undefined {
  if (!isRecord(value) || !isRecord(value.error)) return undefined;
  return { code: num(value.error.code), message: str(value.error.message), status: str(value.error.status) };
}
