import type { JsonValue } from '@hookflow/engine';
import type { BodyFailure, BodyResult } from './body/body-limits';
import { parseFormBody } from './body/form-body';
import { parseJsonBodyExactly } from './body/json-body';
import { decodeText, parseHeaderWithParams } from './body/media-type';
import { parseMultipartBody } from './body/multipart-body';
import { parseXmlBody } from './body/xml-body';

export { mediaTypeOf } from './body/media-type';

/** What kind of body was parsed, for callers that treat formats differently (e.g. Twilio). */
export type BodyFormat = 'json' | 'xml' | 'form' | 'multipart' | 'text';

export type ParsedBody =
  | {
      ok: true;
      body: JsonValue;
      format: BodyFormat;
      /**
       * With `keepSource`, for a UTF-8 JSON body (no BOM) that JSON.parse reads back exactly as
       * `body`: the raw bytes themselves (checked UTF-8, so they are the JSON text), which callers
       * can store as the delivery's body and as the body's JSON. The bytes, not a string: the
       * decoded text is dropped as soon as it is parsed, and a big payload is not held (and bound
       * into SQL) as raw bytes and text at once.
       */
      source?: Buffer;
    }
  | BodyFailure;

export interface ParseBodyOptions {
  /** Deepest nesting of objects and arrays (XML: of elements). Default 64. */
  maxDepth?: number;
  /** Most keys in one object: a JSON object, an XML element, a form. Default 10,000. */
  maxKeysPerObject?: number;
  /**
   * Largest body accepted here, in bytes; larger gets 413. Default: no limit, because the HTTP
   * edge already refuses bodies over HOOKFLOW_MAX_BODY_BYTES before they are read.
   */
  maxBodyBytes?: number;
  /** Largest single file in a multipart body, in bytes (413 above). Default 10 MiB. */
  maxFileBytes?: number;
  /** Most parts in a multipart body. Default 1,000. */
  maxParts?: number;
  /** Multipart files up to this size keep their bytes (base64 `content`). Default 1 MiB. */
  maxAttachmentBytes?: number;
  /** XML element names that are always arrays, even when they occur once. Default none. */
  xmlArrayElements?: readonly string[];
  /** Answer `source` where it applies (see ParsedBody). Default false. */
  keepSource?: boolean;
}

export const DEFAULT_PARSE_BODY_OPTIONS: Readonly<Required<ParseBodyOptions>> = Object.freeze({
  maxDepth: 64,
  maxKeysPerObject: 10_000,
  maxBodyBytes: Number.POSITIVE_INFINITY,
  maxFileBytes: 10 * 1024 * 1024,
  maxParts: 1_000,
  maxAttachmentBytes: 1024 * 1024,
  xmlArrayElements: [],
  keepSource: false,
});

const ACCEPTED = 'send JSON, XML, form data (urlencoded or multipart) or text';

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType);
}

/** `application/xml`, `text/xml` and any `<type>/<subtype>+xml` (Atom, SOAP, RSS). */
function isXmlMediaType(mediaType: string): boolean {
  return (
    mediaType === 'application/xml' ||
    mediaType === 'text/xml' ||
    /^[\w.-]+\/[\w.-]+\+xml$/.test(mediaType)
  );
}

/** Decoded as UTF-8 with nothing stripped: the decoded text is `raw.toString('utf8')`. */
function isPlainUtf8(raw: Buffer, header: { params: Map<string, string> }): boolean {
  const charset = header.params.get('charset')?.trim().toLowerCase();
  const utf8 = charset === undefined || charset === 'utf-8' || charset === 'utf8';
  const bom = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  return utf8 && !bom;
}

function unsupported(reason: string): BodyFailure {
  return { ok: false, status: 415, reason };
}

function withFormat(result: BodyResult, format: BodyFormat): ParsedBody {
  return result.ok ? { ok: true, body: result.body, format } : result;
}

/**
 * Parses a webhook body by its Content-Type into one JSON value (the mappings are written down
 * in docs/triggers.md). Unknown types are refused with 415 rather than guessed at; malformed
 * bodies and bodies over a limit get 400 (413 for size) with a reason the sender can act on.
 */
export function parseBody(
  contentType: string | undefined,
  raw: Buffer,
  options: ParseBodyOptions = {},
): ParsedBody {
  const settings = { ...DEFAULT_PARSE_BODY_OPTIONS, ...options };
  const header = contentType === undefined ? undefined : parseHeaderWithParams(contentType);
  const mediaType = header?.value;
  if (!header || !mediaType) return unsupported(`missing Content-Type: ${ACCEPTED}`);
  if (raw.length > settings.maxBodyBytes) {
    return { ok: false, status: 413, reason: `body is larger than ${settings.maxBodyBytes} bytes` };
  }
  if (mediaType === 'multipart/form-data') {
    return withFormat(parseMultipartBody(raw, contentType ?? '', settings), 'multipart');
  }
  const isJson = isJsonMediaType(mediaType);
  const isXml = !isJson && isXmlMediaType(mediaType);
  const isForm = mediaType === 'application/x-www-form-urlencoded';
  const isText = mediaType.startsWith('text/');
  if (!isJson && !isXml && !isForm && !isText) {
    return unsupported(`Content-Type ${mediaType} is not accepted: ${ACCEPTED}`);
  }
  const decoded = decodeText(raw, header.params.get('charset'));
  if (!decoded.ok) return { ok: false, status: decoded.status, reason: decoded.reason };
  if (isJson) {
    const { result, exact } = parseJsonBodyExactly(decoded.text, settings);
    if (!result.ok) return result;
    return settings.keepSource && exact && isPlainUtf8(raw, header)
      ? { ok: true, body: result.body, format: 'json', source: raw }
      : { ok: true, body: result.body, format: 'json' };
  }
  if (isXml) {
    const xmlOptions = { ...settings, arrayElements: settings.xmlArrayElements };
    return withFormat(parseXmlBody(decoded.text, xmlOptions), 'xml');
  }
  if (isForm) return withFormat(parseFormBody(decoded.text, settings), 'form');
  return { ok: true, body: decoded.text, format: 'text' };
}
