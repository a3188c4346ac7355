/** Tracks whether the bytes sent so far end on an event boundary, so appended events stay separate. */
export function endsWithBlankLine(bytes: Uint8Array, previous: boolean): boolean {
  const n = bytes.length;
  if (n === 0) return previous;
  if (n === 1) return bytes[0] === 10 && previous;
  return bytes[n - 1] === 10 && (bytes[n - 2] === 10 || bytes[n - 2] === 13);
}
