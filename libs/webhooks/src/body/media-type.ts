import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { invalidUtf8Offset } from './utf8';

/**
 * Header values of the form `type; name=value; name="quoted value"` (Content-Type,
 * Content-Disposition), and text decoding by a declared charset. Kept over the `content-type`
 * package: that one reads Content-Type only (not multipart's Content-Disposition) and throws on
 * the loose headers senders send; this parse costs ~0.4-0.5 us (1e6 parses, Dec 2026).
 */

export interface HeaderWithParams {
  /** The part before the first `;`, lower-cased (`application/json`, `form-data`). */
  value: string;
  /** Parameter names lower-cased; values unquoted, case kept (boundaries are case-sensitive). */
  params: Map<string, string>;
}

/** Reads one `name=value` or `name="quoted \" value"` parameter starting at `start`. */
function readParam(
  header: string,
  start: number,
): { name: string; value: string; end: number } | undefined {
  const equals = header.indexOf('=', start);
  const semicolon = header.indexOf(';', start);
  if (equals === -1 || (semicolon !== -1 && semicolon < equals)) {
    return semicolon === -1 ? undefined : { name: '', value: '', end: semicolon + 1 };
  }
  const name = header.slice(start, equals).trim().toLowerCase();
  let index = equals + 1;
  while (header[index] === ' ' || header[index] === '\t') index++;
  if (header[index] !== '"') {
    const end = header.indexOf(';', index);
    const value = header.slice(index, end === -1 ? header.length : end).trim();
    return { name, value, end: end === -1 ? header.length : end + 1 };
  }
  let value = '';
  for (index++; index < header.length; index++) {
    const char = header[index];
    if (char === '\\' && index + 1 < header.length) value += header[++index];
    else if (char === '"') break;
    else value += char;
  }
  const end = header.indexOf(';', index);
  return { name, value, end: end === -1 ? header.length : end + 1 };
}

export function parseHeaderWithParams(header: string): HeaderWithParams {
  const firstSemicolon = header.indexOf(';');
  const value = (firstSemicolon === -1 ? header : header.slice(0, firstSemicolon))
    .trim()
    .toLowerCase();
  const params = new Map<string, string>();
  let position = firstSemicolon === -1 ? header.length : firstSemicolon + 1;
  while (position < header.length) {
    const param = readParam(header, position);
    if (!param) break;
    // The first occurrence wins: a repeated parameter is a sender bug, not a second value.
    if (param.name && !params.has(param.name)) params.set(param.name, param.value);
    position = param.end;
  }
  return { value, params };
}

export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  return mediaType ? mediaType : undefined;
}

export type DecodedText =
  { ok: true; text: string } | { ok: false; status: 400 | 415; reason: string };

const UTF8_LABELS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** From this size an ASCII body's text is made an external string (see decodeText). */
const EXTERNAL_TEXT_BYTES = 1024 * 1024;

/**
 * Decodes a body by its declared charset (UTF-8 when none is declared, which is what JSON
 * requires and what senders mean in practice). A byte order mark is dropped. UTF-8 is decoded
 * strictly: an invalid sequence (an encoded lone surrogate, a stray continuation byte, a
 * truncated character) is a 400 naming its byte offset, rather than a U+FFFD that silently
 * changes the payload. An unknown charset is a 415.
 */
export function decodeText(raw: Buffer, charset: string | undefined): DecodedText {
  const label = charset?.trim().toLowerCase();
  if (!label || UTF8_LABELS.has(label)) {
    const hasBom = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
    const invalidAt = invalidUtf8Offset(raw, hasBom ? 3 : 0);
    if (invalidAt !== -1) {
      return {
        ok: false,
        status: 400,
        reason: `body is not valid UTF-8: invalid byte sequence at byte offset ${invalidAt}`,
      };
    }
    // A big ASCII body (most JSON) decoded as Latin-1, which reads ASCII the same: Node makes
    // such a string an external one, its characters in the C heap rather than in new V8 pages,
    // where the memory the previous big body's database write freed is reused.
    if (raw.length >= EXTERNAL_TEXT_BYTES && !hasBom && isAscii(raw)) {
      return { ok: true, text: raw.toString('latin1') };
    }
    return { ok: true, text: raw.toString('utf8', hasBom ? 3 : 0) };
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return { ok: false, status: 415, reason: `charset ${label} is not supported: send UTF-8` };
  }
  return { ok: true, text: decoder.decode(raw) };
}
