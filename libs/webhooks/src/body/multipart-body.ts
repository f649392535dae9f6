import type { JsonObject } from '@hookflow/engine';
import {
  DROPPED_KEY,
  appendValue,
  keysExceeded,
  type BodyLimits,
  type BodyResult,
} from './body-limits';
import { decodeText, parseHeaderWithParams } from './media-type';

export interface MultipartLimits extends BodyLimits {
  /** Largest single file part, in bytes; a larger one is refused with 413. */
  maxFileBytes: number;
  /** Most parts (fields and files together) in one body. */
  maxParts: number;
}

/** One part of a `multipart/form-data` body, its content still as bytes. */
export interface MultipartPart {
  name: string;
  /** Present for file parts (an empty string when the browser sent no file name). */
  filename?: string;
  contentType?: string;
  data: Buffer;
}

type SplitResult = { ok: true; parts: MultipartPart[] } | Extract<BodyResult, { ok: false }>;

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function malformed(problem: string): Extract<BodyResult, { ok: false }> {
  return { ok: false, status: 400, reason: `multipart body is malformed: ${problem}` };
}

function readPartHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** RFC 5987 `filename*=UTF-8''na%C3%AFve.txt`, which wins over `filename` when present. */
function extendedFilename(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^utf-8''(.*)$/i.exec(value);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

function toPart(headerText: string, data: Buffer, index: number): MultipartPart | string {
  const headers = readPartHeaders(headerText);
  const disposition = headers.get('content-disposition');
  if (!disposition) return `part ${index + 1} has no Content-Disposition header`;
  const { value, params } = parseHeaderWithParams(disposition);
  const name = params.get('name');
  if (value !== 'form-data' || name === undefined) {
    return `part ${index + 1} is not a named form-data part`;
  }
  const filename = extendedFilename(params.get('filename*')) ?? params.get('filename');
  return { name, filename, contentType: headers.get('content-type'), data };
}

/**
 * Splits a multipart body on its boundary (RFC 7578). The whole body is in memory already
 * (its size is capped at the HTTP edge), so this is a plain scan rather than a stream.
 */
export function splitMultipart(raw: Buffer, boundary: string, maxParts: number): SplitResult {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);
  let position = raw.subarray(0, delimiter.length).equals(delimiter)
    ? 0
    : raw.indexOf(nextDelimiter);
  if (position === -1) return malformed(`no boundary line --${boundary}`);
  if (position > 0) position += CRLF.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    position += delimiter.length;
    if (raw[position] === 0x2d && raw[position + 1] === 0x2d) return { ok: true, parts };
    while (raw[position] === 0x20 || raw[position] === 0x09) position++;
    if (raw[position] !== 0x0d || raw[position + 1] !== 0x0a) {
      return malformed('a boundary line is not followed by a line break');
    }
    // Searching from the line break itself also finds the blank line of a part without headers.
    const headerEnd = raw.indexOf(HEADER_END, position);
    if (headerEnd === -1) return malformed(`the headers of part ${parts.length + 1} do not end`);
    const end = raw.indexOf(nextDelimiter, headerEnd + HEADER_END.length);
    if (end === -1) return malformed('the closing boundary is missing (is the body truncated?)');
    const headerText = raw.toString('utf8', position + CRLF.length, headerEnd);
    const part = toPart(headerText, raw.subarray(headerEnd + HEADER_END.length, end), parts.length);
    if (typeof part === 'string') return malformed(part);
    parts.push(part);
    if (parts.length > maxParts) {
      return {
        ok: false,
        status: 400,
        reason: `multipart body has more than ${maxParts} parts (limit maxParts)`,
      };
    }
    position = end + CRLF.length;
  }
}

/**
 * A multipart body as JSON: each field's text under its name; each file as metadata only,
 * `{ filename, contentType, size }` (its bytes are not kept: they are not JSON, and storing
 * uploads is a later feature). Repeated names become arrays, as in form bodies.
 */
export function parseMultipartBody(
  raw: Buffer,
  boundary: string | undefined,
  limits: MultipartLimits,
): BodyResult {
  if (!boundary) return malformed('Content-Type has no boundary parameter');
  const split = splitMultipart(raw, boundary, limits.maxParts);
  if (!split.ok) return split;
  const body: JsonObject = {};
  let keyCount = 0;
  for (const part of split.parts) {
    if (part.name === DROPPED_KEY) continue;
    if (
      !Object.prototype.hasOwnProperty.call(body, part.name) &&
      ++keyCount > limits.maxKeysPerObject
    ) {
      return keysExceeded(limits, 'the form');
    }
    if (part.filename === undefined) {
      const charset = part.contentType
        ? parseHeaderWithParams(part.contentType).params.get('charset')
        : undefined;
      const decoded = decodeText(part.data, charset);
      if (!decoded.ok) {
        return {
          ok: false,
          status: decoded.status,
          reason: `field ${part.name}: ${decoded.reason}`,
        };
      }
      appendValue(body, part.name, decoded.text);
      continue;
    }
    if (part.data.length > limits.maxFileBytes) {
      const reason = `file in field ${part.name} is ${part.data.length} bytes, over ${limits.maxFileBytes} (limit maxFileBytes)`;
      return { ok: false, status: 413, reason };
    }
    const contentType = part.contentType ?? 'application/octet-stream';
    appendValue(body, part.name, { filename: part.filename, contentType, size: part.data.length });
  }
  return { ok: true, body };
}
