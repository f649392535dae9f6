import { createSseParser, type SseEvent } from './sse-parser';

describe('createSseParser', () => {
  it('reassembles events split across chunks and skips comments', () => {
    const events: SseEvent[] = [];
    const feed = createSseParser((event) => events.push(event));
    feed('event: ready\ndata: {"a"');
    feed(':1}\n\n: keep-alive\n\nevent: execution\r\ndata: {}\r\n\r\n');
    expect(events).toEqual([
      { event: 'ready', data: '{"a":1}' },
      { event: 'execution', data: '{}' },
    ]);
  });
});

describe('createSseParser line endings', () => {
  it('reads a CRLF split across two chunks as one line end, and multi-line data', () => {
    const events: SseEvent[] = [];
    const feed = createSseParser((event) => events.push(event));
    // The CR ends one chunk and its LF starts the next: still one line end, not an empty line.
    feed('event: execution\r');
    feed('\ndata: first\r\ndata: second\r');
    feed('\n\r\n');
    expect(events).toEqual([{ event: 'execution', data: 'first\nsecond' }]);
  });
});
