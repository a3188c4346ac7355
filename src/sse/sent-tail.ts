/**
 * The last two bytes a pass-through has sent, enough to tell whether they end on a blank line
 * (an event boundary), so that an event it appends (an error) stays separate. Starts as if a
 * blank line had been sent: nothing sent is a boundary too.
 */
export class SentTail {
  private last = 10;
  private beforeLast = 10;

  push(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n === 0) return;
    this.beforeLast = n === 1 ? this.last : (bytes[n - 2] as number);
    this.last = bytes[n - 1] as number;
  }

  get endsWithBlankLine(): boolean {
    return this.last === 10 && (this.beforeLast === 10 || this.beforeLast === 13);
  }
}
