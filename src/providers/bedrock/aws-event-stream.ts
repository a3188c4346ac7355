/**
 * The AWS event-stream binary framing (application/vnd.amazon.eventstream), as Bedrock's
 * streaming APIs send it. One message:
 *
 *   total length (u32) | headers length (u32) | prelude CRC32 (of the 8 bytes before)
 *   headers | payload | message CRC32 (of everything before)
 *
 * A header is name length (u8), name, value type (u8), value. Both CRCs are checked; a message
 * split across reads waits for the rest. A corrupt frame throws: the stream cannot be trusted past it.
 */

export type HeaderValue = boolean | number | bigint | string | Uint8Array | Date;

export interface EventStreamMessage {
  headers: Record<string, HeaderValue>;
  payload: Uint8Array;
}

export class EventStreamError extends Error {}

const PRELUDE = 12;
const MIN_MESSAGE = 16;
/** Bedrock messages are small; anything this large is a corrupt length, not a message to wait for. */
const MAX_MESSAGE = 16 * 1024 * 1024;
const textDecoder = new TextDecoder();

const crc32 = (bytes: Uint8Array): number => Bun.hash.crc32(bytes) >>> 0;

/** Splits bytes into messages; push() returns the messages the bytes completed. */
export class EventStreamDecoder {
  private buffer: Uint8Array = new Uint8Array(0);

  push(bytes: Uint8Array): EventStreamMessage[] {
    this.buffer = this.buffer.length === 0 ? bytes : concat(this.buffer, bytes);
    const messages: EventStreamMessage[] = [];
    let offset = 0;
    while (this.buffer.length - offset >= PRELUDE) {
      const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + offset);
      const total = view.getUint32(0);
      const headersLength = view.getUint32(4);
      if (crc32(this.buffer.subarray(offset, offset + 8)) !== view.getUint32(8))
        throw new EventStreamError("event-stream prelude CRC mismatch");
      if (total < MIN_MESSAGE || total > MAX_MESSAGE || headersLength > total - MIN_MESSAGE)
        throw new EventStreamError("event-stream message length out of range");
      if (this.buffer.length - offset < total) break;
      const message = this.buffer.subarray(offset, offset + total);
      const expected = new DataView(message.buffer, message.byteOffset + total - 4).getUint32(0);
      if (crc32(message.subarray(0, total - 4)) !== expected)
        throw new EventStreamError("event-stream message CRC mismatch");
      messages.push({
        headers: decodeHeaders(message.subarray(PRELUDE, PRELUDE + headersLength)),
        payload: message.subarray(PRELUDE + headersLength, total - 4),
      });
      offset += total;
    }
    this.buffer = offset === 0 ? this.buffer : this.buffer.slice(offset);
    return messages;
  }

  /** Bytes of a message the stream ended inside of (0 when it ended between messages). */
  get pending(): number {
    return this.buffer.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function decodeHeaders(bytes: Uint8Array): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {};
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new EventStreamError("event-stream header runs past its block");
  };
  while (at < bytes.length) {
    need(1);
    const nameLength = view.getUint8(at++);
    need(nameLength + 1);
    const name = textDecoder.decode(bytes.subarray(at, at + nameLength));
    at += nameLength;
    const type = view.getUint8(at++);
    switch (type) {
      case 0:
        headers[name] = true;
        break;
      case 1:
        headers[name] = false;
        break;
      case 2:
        need(1);
        headers[name] = view.getInt8(at);
        at += 1;
        break;
      case 3:
        need(2);
        headers[name] = view.getInt16(at);
        at += 2;
        break;
      case 4:
        need(4);
        headers[name] = view.getInt32(at);
        at += 4;
        break;
      case 5:
        need(8);
        headers[name] = view.getBigInt64(at);
        at += 8;
        break;
      case 6:
      case 7: {
        need(2);
        const length = view.getUint16(at);
        at += 2;
        need(length);
        const value = bytes.subarray(at, at + length);
        headers[name] = type === 7 ? textDecoder.decode(value) : value.slice();
        at += length;
        break;
      }
      case 8:
        need(8);
        headers[name] = new Date(Number(view.getBigInt64(at)));
        at += 8;
        break;
      case 9: {
        need(16);
        const hex = Buffer.from(bytes.subarray(at, at + 16)).toString("hex");
        headers[name] =
          `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        at += 16;
        break;
      }
      default:
        throw new EventStreamError(`event-stream header type ${type} is unknown`);
    }
  }
  return headers;
}

/** Encodes one message (string headers only): the test mocks' side of the framing. */
export function encodeEventStreamMessage(headers: Record<string, string>, payload: Uint8Array): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = encoder.encode(name);
    const v = encoder.encode(value);
    const part = new Uint8Array(1 + n.length + 1 + 2 + v.length);
    part[0] = n.length;
    part.set(n, 1);
    part[1 + n.length] = 7;
    new DataView(part.buffer).setUint16(2 + n.length, v.length);
    part.set(v, 4 + n.length);
    parts.push(part);
  }
  const headersLength = parts.reduce((sum, p) => sum + p.length, 0);
  const total = PRELUDE + headersLength + payload.length + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headersLength);
  view.setUint32(8, crc32(out.subarray(0, 8)));
  let at = PRELUDE;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  out.set(payload, at);
  view.setUint32(total - 4, crc32(out.subarray(0, total - 4)));
  return out;
}
