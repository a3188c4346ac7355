import type { StreamDeframer, WireEvent } from "../../ir/stream-deframer.ts";
import { mapBedrockException } from "../../protocols/bedrock-converse/map-bedrock-exception.ts";
import { EventStreamDecoder, type EventStreamMessage } from "./aws-event-stream.ts";

const textDecoder = new TextDecoder();

/** An exception message (`:message-type` exception or error) as its name and text. */
function readException(message: EventStreamMessage): { type: string; message: string } | undefined {
  const kind = message.headers[":message-type"];
  if (kind !== "exception" && kind !== "error") return undefined;
  const type = String(
    message.headers[":exception-type"] ?? message.headers[":error-code"] ?? "InternalServerException",
  );
  let text =
    typeof message.headers[":error-message"] === "string"
      ? (message.headers[":error-message"] as string)
      : "";
  try {
    const payload = JSON.parse(textDecoder.decode(message.payload)) as {
      message?: unknown;
      Message?: unknown;
    };
    const found = payload.message ?? payload.Message;
    if (typeof found === "string") text = found;
  } catch {
    // the header's text, if any
  }
  return { type, message: text || `Bedrock reported ${type} mid-stream` };
}

/**
 * What both Bedrock deframers share: AWS event-stream frames decoded (CRCs checked, frames split
 * across reads joined); a corrupt stream is said once, in the wire's own error event, and nothing
 * after it is read. Each subclass turns the frames into its wire's events.
 */
abstract class EventStreamDeframer implements StreamDeframer {
  private readonly decoder = new EventStreamDecoder();
  private broken = false;

  push(bytes: Uint8Array): WireEvent[] {
    if (this.broken) return [];
    let messages: EventStreamMessage[];
    try {
      messages = this.decoder.push(bytes);
    } catch (error) {
      this.broken = true;
      return [this.corrupt(`Bedrock's stream is corrupt: ${(error as Error).message}`)];
    }
    return this.toEvents(messages);
  }

  /** Every frame is decoded anyway (CRC, base64): the filter would spare nothing. */
  skim(bytes: Uint8Array): WireEvent[] {
    return this.push(bytes);
  }

  end(): WireEvent[] {
    return [];
  }

  protected abstract toEvents(messages: EventStreamMessage[]): WireEvent[];
  protected abstract corrupt(message: string): WireEvent;
}

/**
 * InvokeModelWithResponseStream: each `chunk` event carries `{"bytes": base64}`, the model's own
 * stream event (Anthropic's Messages events for Claude): deframed into that event, named by its
 * `type`. An exception becomes Anthropic's `error` event.
 */
export class BedrockInvokeDeframer extends EventStreamDeframer {
  protected toEvents(messages: EventStreamMessage[]): WireEvent[] {
    const events: WireEvent[] = [];
    for (const message of messages) {
      const exception = readException(message);
      if (exception) {
        events.push(anthropicError(mapBedrockException(exception.type).errorType, exception.message));
        continue;
      }
      if (message.headers[":event-type"] !== "chunk") continue;
      const payload = JSON.parse(textDecoder.decode(message.payload)) as { bytes?: unknown };
      if (typeof payload.bytes !== "string") continue;
      const data = Buffer.from(payload.bytes, "base64").toString("utf8");
      const type = (JSON.parse(data) as { type?: unknown }).type;
      events.push({ event: typeof type === "string" ? type : "message", data });
    }
    return events;
  }

  protected corrupt(message: string): WireEvent {
    return anthropicError("api_error", message);
  }
}

function anthropicError(type: string, message: string): WireEvent {
  return { event: "error", data: JSON.stringify({ type: "error", error: { type, message } }) };
}

/**
 * ConverseStream: each event message is `{event: :event-type, data: its JSON payload}`; an
 * exception is `{event: "exception", data: {"type", "message"}}` (ConverseStreamDecoder reads both).
 */
export class BedrockConverseDeframer extends EventStreamDeframer {
  protected toEvents(messages: EventStreamMessage[]): WireEvent[] {
    return messages.map((message) => {
      const exception = readException(message);
      if (exception) return exceptionEvent(exception.type, exception.message);
      return {
        event: String(message.headers[":event-type"] ?? "message"),
        data: textDecoder.decode(message.payload),
      };
    });
  }

  protected corrupt(message: string): WireEvent {
    return exceptionEvent("InternalServerException", message);
  }
}

function exceptionEvent(type: string, message: string): WireEvent {
  return { event: "exception", data: JSON.stringify({ type, message }) };
}
