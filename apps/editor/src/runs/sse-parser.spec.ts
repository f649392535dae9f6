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
