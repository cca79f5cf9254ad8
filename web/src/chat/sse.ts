/**
 * Server-sent events, parsed incrementally as the bytes arrive (the WHATWG "event stream
 * interpretation"): chunks may end anywhere, even inside a line or a UTF-8 character.
 */

export interface SseMessage {
  /** The `id:` field of this event, or of the last event that had one. */
  id: string | undefined;
  /** `message` when the event named no type. */
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private lastId: string | undefined;
  private eventType = '';
  private dataLines: string[] = [];
  private started = false;

  /** Take the next piece of text; return the events it completed. */
  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.startsWith('\uFEFF')) this.buffer = this.buffer.slice(1);
    }
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      // A lone `\r` at the very end may be the first half of `\r\n`: wait for the next chunk.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      const newline = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      this.buffer = this.buffer.slice(end + newline);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  /**
   * The stream ended: a held-back final `\r` still ends its line; an event without its closing
   * blank line is incomplete and dropped, as the spec says.
   */
  end(): SseMessage[] {
    const last = this.buffer.endsWith('\r') ? this.push('\n') : [];
    this.buffer = '';
    this.eventType = '';
    this.dataLines = [];
    return last;
  }

  private line(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null; // a comment, e.g. a keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventType = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    return null;
  }

  private dispatch(): SseMessage | null {
    const hasData = this.dataLines.length > 0;
    const message = { id: this.lastId, event: this.eventType || 'message', data: this.dataLines.join('\n') };
    this.eventType = '';
    this.dataLines = [];
    return hasData ? message : null;
  }
}

/** Read a `text/event-stream` body to its end, handing each event over as soon as it is complete. */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onMessage: (message: SseMessage) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const message of parser.push(decoder.decode(value, { stream: true }))) onMessage(message);
    }
    for (const message of [...parser.push(decoder.decode()), ...parser.end()]) onMessage(message);
  } finally {
    reader.releaseLock();
  }
}
