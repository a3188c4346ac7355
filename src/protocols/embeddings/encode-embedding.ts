/**
 * `encoding_format: "base64"`: the vector as little-endian float32 bytes, base64 — what OpenAI
 * sends and what its SDKs decode (`Float32Array` over the bytes).
 */
export function toBase64Float32(vector: readonly number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [index, value] of vector.entries()) view.setFloat32(index * 4, value, true);
  return Buffer.from(bytes).toString("base64");
}

/** The inverse, for tests and tools. */
export function fromBase64Float32(text: string): number[] {
  const bytes = Buffer.from(text, "base64");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) out.push(view.getFloat32(offset, true));
  return out;
}
