/**
 * Inputs per embeddings request, OpenAI's own limit. It also bounds a translated request's
 * upstream calls (Titan embeds one text a call) and the vectors held until the answer.
 */
export const MAX_EMBEDDINGS_INPUTS = 2048;
