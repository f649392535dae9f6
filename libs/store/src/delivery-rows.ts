import type { DatabaseConfig } from '@hookflow/common';
import type { DeliveryEntity } from './entities/delivery.entity';
import { bodyPartRows, bodyParts, storedInParts } from './delivery-body-parts';
import { dbJson, dbTime, insertSql, insertText } from './raw-sql';
import type { Statement, Write } from './write-plan';

/**
 * A delivery row as the intake writes it. `body` may be the request's bytes instead of their
 * text, when the caller checked that they are strict UTF-8: a big body is then never decoded into
 * a string just to be written (and copied once more into the SQL parameter).
 */
export type DeliveryRow = Omit<DeliveryEntity, 'executionId' | 'body'> & {
  body: string | Buffer | null;
};

/**
 * The writes of a delivery, for the intake's accept and for refused deliveries: its row, and a
 * big body's parts (see delivery-body-parts.ts) in the same transaction.
 */
export function deliveryWrites(
  kind: DatabaseConfig['kind'],
  delivery: DeliveryRow,
  executionId: string | null,
): Write[] {
  if (!storedInParts(delivery.body)) return [deliveryInsert(kind, delivery, executionId)];
  const parts = bodyParts(kind, delivery.body);
  return [
    deliveryInsert(kind, { ...delivery, body: null }, executionId, parts.length),
    bodyPartRows(delivery.id, parts),
  ];
}

/** The INSERT of a delivery row; `bodyParts`: its body is stored in that many parts. */
function deliveryInsert(
  kind: DatabaseConfig['kind'],
  delivery: DeliveryRow,
  executionId: string | null,
  bodyParts: number | null = null,
): Statement {
  const bytes = Buffer.isBuffer(delivery.body);
  const row = {
    id: delivery.id,
    hook_id: delivery.hookId,
    flow_id: delivery.flowId,
    received_at: dbTime(kind, delivery.receivedAt),
    method: delivery.method,
    headers: dbJson(delivery.headers),
    query: dbJson(delivery.query),
    content_type: delivery.contentType,
    size_bytes: delivery.sizeBytes,
    // PostgreSQL takes text (a Buffer would be bytea); SQLite binds the bytes, see below.
    body:
      Buffer.isBuffer(delivery.body) && kind === 'postgres'
        ? delivery.body.toString('utf8')
        : delivery.body,
    status: delivery.status,
    reason: delivery.reason,
    execution_id: executionId,
    replay_of: delivery.replayOf ?? null,
    body_parts: bodyParts,
  };
  if (!bytes || kind === 'postgres') return insertSql('deliveries', row);
  // SQLite: the bytes bound as a blob and stored as TEXT (CAST reads them as the database's
  // UTF-8, unchanged), so readers get the same string. A bound string would first be copied into
  // a UTF-8 buffer by the driver: one copy of the body fewer at the peak of a big delivery.
  const columns = Object.keys(row);
  const placeholder = (column: string) => (column === 'body' ? 'CAST(? AS TEXT)' : '?');
  return [insertText('deliveries', columns, placeholder, 'body-bytes'), Object.values(row)];
}
