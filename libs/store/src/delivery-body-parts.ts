import type { DatabaseConfig } from '@hookflow/common';
import type { Database } from './database';
import { select, type SqlValue } from './raw-sql';
import { RowsInsert, type PlannedRows } from './write-plan';

type Kind = DatabaseConfig['kind'];

/**
 * A delivery body longer than this in UTF-8 is stored in parts of at most this size, one row
 * each (`delivery_body_parts`), not as one value. Written as one value,
 * SQLite holds two more copies of it while the row is written (the driver's copy of the bound
 * value, then the encoded record): 20 MiB on top of a 10 MiB body and its parsed value, the peak
 * of a big delivery. A part costs 2 MiB at most. Above BIG_WRITE_VALUE_BYTES, so that a write
 * of parts still runs with the small page cache (see SqliteBatchRunner.run).
 */
export const BODY_PART_BYTES = 1024 * 1024;

/**
 * SQLite binds a part given as bytes and stores it as TEXT (as deliveryInsert does the body), so
 * the file holds text either way; PostgreSQL's multi-row insert gets the parts as strings.
 */
const PARTS = new RowsInsert(
  'delivery_body_parts',
  ['delivery_id', 'seq', 'part'],
  (column) => (column === 'part' ? 'CAST(? AS TEXT)' : '?'),
  'part-bytes',
);

/**
 * A body cut into parts of at most BODY_PART_BYTES in UTF-8: bytes at character boundaries (so
 * that each part is text by itself), a string between UTF-16 surrogate pairs. Bytes stay bytes
 * on SQLite (never decoded to be written); PostgreSQL takes text.
 */
export function bodyParts(kind: Kind, body: string | Buffer): Array<string | Buffer> {
  const parts: Array<string | Buffer> = [];
  let start = 0;
  while (start < body.length) {
    let end = Math.min(start + BODY_PART_BYTES, body.length);
    if (Buffer.isBuffer(body)) {
      // 10xxxxxx continues a character: cut before the byte that starts it.
      while (end < body.length && end > start + 1 && (body[end] & 0xc0) === 0x80) end--;
      const part = body.subarray(start, end);
      parts.push(kind === 'postgres' ? part.toString('utf8') : part);
    } else {
      // At most a part's size in UTF-8 too: fewer characters where they take several bytes.
      let bytes = Buffer.byteLength(body.slice(start, end));
      while (bytes > BODY_PART_BYTES) {
        end = start + Math.max(1, Math.floor(((end - start) * BODY_PART_BYTES) / bytes));
        bytes = Buffer.byteLength(body.slice(start, end));
      }
      const last = body.charCodeAt(end - 1);
      if (end < body.length && last >= 0xd800 && last <= 0xdbff && end > start + 1) end--;
      parts.push(body.slice(start, end));
    }
    start = end;
  }
  return parts;
}

/** True when a body of this size (in UTF-8) is stored in parts. */
export function storedInParts(body: string | Buffer | null): body is string | Buffer {
  if (body === null || body.length > BODY_PART_BYTES) return body !== null;
  // A string of up to a part's characters is longer in UTF-8 by up to three times.
  return typeof body === 'string' && body.length * 3 > BODY_PART_BYTES
    ? Buffer.byteLength(body) > BODY_PART_BYTES
    : false;
}

/** The rows of a body stored in parts, for the same write as its delivery row. */
export function bodyPartRows(deliveryId: string, parts: Array<string | Buffer>): PlannedRows {
  return PARTS.of(parts.map((part, seq): SqlValue[] => [deliveryId, seq, part]));
}

/** Ids per IN list: far below either database's limit on parameters. */
const READ_BATCH = 500;

/** The bodies stored in parts of these deliveries, put together, by delivery id. */
export async function readBodyParts(
  database: Database,
  deliveryIds: readonly string[],
): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  for (let index = 0; index < deliveryIds.length; index += READ_BATCH) {
    const ids = deliveryIds.slice(index, index + READ_BATCH);
    const rows = await select<{ delivery_id: string; part: string }>(
      database.dataSource,
      database.kind,
      `SELECT delivery_id, part FROM delivery_body_parts WHERE delivery_id IN (${ids.map(() => '?').join(', ')}) ORDER BY delivery_id, seq`,
      [...ids],
    );
    const parts = new Map<string, string[]>();
    for (const row of rows) {
      const list = parts.get(row.delivery_id) ?? [];
      list.push(row.part);
      parts.set(row.delivery_id, list);
    }
    for (const [id, list] of parts) bodies.set(id, list.join(''));
  }
  return bodies;
}
