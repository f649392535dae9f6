import { createParser } from 'eventsource-parser';

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Splits a server-sent events stream into events; feed it text chunks as they come. The spec's
 * line rules (CR, LF or CRLF, also split across chunks; comments; multi-line data) are
 * eventsource-parser's.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): (chunk: string) => void {
  const parser = createParser({
    onEvent: (event) => onEvent({ event: event.event ?? 'message', data: event.data }),
  });
  return (chunk) => parser.feed(chunk);
}
