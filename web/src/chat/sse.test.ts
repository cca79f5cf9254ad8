import { describe, expect, it } from 'vitest';
import { toRunEvent } from './api';
import { SseParser, readEventStream } from './sse';

const STREAM =
  'id: 1\nevent: token\ndata: {"text":"Bonjour"}\n\n' +
  'id: 2\nevent: citation\ndata: {"index":1,"quote":"é è"}\n\n' +
  'id: 3\nevent: done\ndata: {"run_id":"r1","status":"done"}\n\n';

function feedInPieces(text: string, size: number) {
  const parser = new SseParser();
  const messages = [];
  for (let at = 0; at < text.length; at += size) messages.push(...parser.push(text.slice(at, at + size)));
  return messages;
}

describe('the SSE parser', () => {
  it('reads typed events with their ids', () => {
    expect(new SseParser().push(STREAM)).toEqual([
      { id: '1', event: 'token', data: '{"text":"Bonjour"}' },
      { id: '2', event: 'citation', data: '{"index":1,"quote":"é è"}' },
      { id: '3', event: 'done', data: '{"run_id":"r1","status":"done"}' },
    ]);
  });

  it('gives the same events whatever the chunk boundaries, even inside a field', () => {
    const whole = new SseParser().push(STREAM);
    for (const size of [1, 2, 3, 5, 7, 13, 64]) expect(feedInPieces(STREAM, size)).toEqual(whole);
  });

  it('waits for the blank line: an event cut before its end is not delivered early', () => {
    const parser = new SseParser();
    expect(parser.push('id: 4\nevent: token\ndata: {"te')).toEqual([]);
    expect(parser.push('xt":"a"}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '4', event: 'token', data: '{"text":"a"}' }]);
  });

  it('joins multi-line data with newlines, and accepts CRLF and CR line ends', () => {
    const parser = new SseParser();
    expect(parser.push('event: note\r\ndata: ligne 1\r\ndata:ligne 2\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ id: undefined, event: 'note', data: 'ligne 1\nligne 2' }]);
    // A final `\r` may be half of `\r\n`: the event completes with the next chunk, or at the end.
    expect(parser.push('data: a\rdata: b\r\r')).toEqual([]);
    expect(parser.end()).toEqual([{ id: undefined, event: 'message', data: 'a\nb' }]);
  });

  it('ignores comments and events without data, and keeps the last id', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nid: 7\nevent: token\n\nevent: token\ndata: {}\n\n')).toEqual([
      { id: '7', event: 'token', data: '{}' },
    ]);
  });

  it('decodes UTF-8 split across network chunks', async () => {
    const bytes = new TextEncoder().encode('id: 1\nevent: token\ndata: {"text":"Hélène"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of « é »
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const seen: string[] = [];
    await readEventStream(body, (message) => seen.push(message.data));
    expect(seen).toEqual(['{"text":"Hélène"}']);
  });
});

describe('run events', () => {
  it('are typed from the SSE event name, with the id as sequence number', () => {
    expect(toRunEvent({ id: '3', event: 'tool_start', data: '{"tool":"list_events","label":"Recherche…"}' })).toEqual({
      seq: 3,
      type: 'tool_start',
      data: { tool: 'list_events', label: 'Recherche…' },
    });
  });

  it('skip unknown types and unreadable data', () => {
    expect(toRunEvent({ id: '1', event: 'heartbeat', data: '{}' })).toBeNull();
    expect(toRunEvent({ id: '1', event: 'token', data: '{"text":' })).toBeNull();
    expect(toRunEvent({ id: undefined, event: 'token', data: '{"text":"a"}' })).toBeNull();
  });
});
