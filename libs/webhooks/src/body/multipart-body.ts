import busboy, { type Busboy, type FileInfo } from 'busboy';
import type { Readable } from 'node:stream';
import type { JsonObject, JsonValue } from '@hookflow/engine';
import {
  DROPPED_KEY,
  appendValue,
  keysExceeded,
  type BodyFailure,
  type BodyLimits,
  type BodyResult,
} from './body-limits';

export interface MultipartLimits extends BodyLimits {
  /** Largest single file part, in bytes; a larger one is refused with 413. */
  maxFileBytes: number;
  /** Most parts (fields and files together) in one body. */
  maxParts: number;
  /** Files up to this size keep their bytes (base64, `content`) for the flow; 0: none do. */
  maxAttachmentBytes: number;
}

/** One part as busboy reported it, in the order of the body. */
type Part =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; name: string; info: FileInfo; stream: Readable & { truncated?: boolean } };

function malformed(problem: string): BodyFailure {
  return { ok: false, status: 400, reason: `multipart body is malformed: ${problem}` };
}

/**
 * Runs busboy over a body that is already in memory (its size is capped at the HTTP edge and
 * its bytes are kept for signatures). busboy parses what it is given while `end()` runs: every
 * `field` and `file` event, every limit and a missing closing boundary (`errored`) are known when
 * it returns; a file's bytes wait in its stream, whose buffer is as large as the body, so busboy
 * never pauses for a reader. busboy is pinned (1.6.0) for this; multipart-body.spec.ts holds it.
 */
function readParts(
  raw: Buffer,
  contentType: string,
  limits: MultipartLimits,
): { ok: true; parts: Part[] } | BodyFailure {
  let parser: Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      // A part's own `charset` wins; busboy decodes fields (leniently, as browsers send them).
      defCharset: 'utf8',
      defParamCharset: 'utf8',
      fileHwm: raw.length + 1,
      limits: {
        // busboy counts the closing boundary as the start of one more part.
        parts: limits.maxParts + 1,
        fileSize: limits.maxFileBytes,
        fieldSize: raw.length,
        fieldNameSize: raw.length,
      },
    });
  } catch (error) {
    return malformed(error instanceof Error ? error.message : String(error));
  }
  const parts: Part[] = [];
  let partsExceeded = false;
  parser.on('field', (name, value) => parts.push({ kind: 'field', name, value }));
  parser.on('file', (name, stream, info) => {
    stream.on('error', () => undefined); // the parser's own error says it
    parts.push({ kind: 'file', name, info, stream });
  });
  parser.on('partsLimit', () => (partsExceeded = true));
  parser.on('error', () => undefined); // read from `errored` below
  parser.end(raw);
  if (partsExceeded) {
    const reason = `multipart body has more than ${limits.maxParts} parts (limit maxParts)`;
    return { ok: false, status: 400, reason };
  }
  if (parser.errored) return malformed(parser.errored.message.replace(/^Multipart: /, ''));
  return { ok: true, parts };
}

function fileValue(
  part: Extract<Part, { kind: 'file' }>,
  limits: MultipartLimits,
): JsonValue | BodyFailure {
  const data = (part.stream.read() as Buffer | null) ?? Buffer.alloc(0);
  if (part.stream.truncated) {
    const reason = `file in field ${part.name} is over ${limits.maxFileBytes} bytes (limit maxFileBytes)`;
    return { ok: false, status: 413, reason };
  }
  return {
    filename: part.info.filename ?? '',
    contentType: part.info.mimeType,
    size: data.length,
    ...(data.length <= limits.maxAttachmentBytes ? { content: data.toString('base64') } : {}),
  };
}

function isFailure(value: JsonValue | BodyFailure): value is BodyFailure {
  return typeof value === 'object' && value !== null && 'ok' in value && value.ok === false;
}

/**
 * A multipart body as JSON: each field's text under its name; each file as
 * `{ filename, contentType, size }`, plus its bytes as base64 `content` when it is at most
 * `maxAttachmentBytes`. Repeated names become arrays, as in form bodies.
 */
export function parseMultipartBody(
  raw: Buffer,
  contentType: string,
  limits: MultipartLimits,
): BodyResult {
  const read = readParts(raw, contentType, limits);
  if (!read.ok) return read;
  const body: JsonObject = {};
  let keyCount = 0;
  for (const part of read.parts) {
    if (part.name === DROPPED_KEY) continue;
    if (
      !Object.prototype.hasOwnProperty.call(body, part.name) &&
      ++keyCount > limits.maxKeysPerObject
    ) {
      return keysExceeded(limits, 'the form');
    }
    if (part.kind === 'file') {
      const value = fileValue(part, limits);
      if (isFailure(value)) return value;
      appendValue(body, part.name, value);
      continue;
    }
    appendValue(body, part.name, part.value);
  }
  return { ok: true, body };
}
