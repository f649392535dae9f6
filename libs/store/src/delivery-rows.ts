import type { DatabaseConfig } from '@hookflow/common';
import type { DeliveryEntity } from './entities/delivery.entity';
import { dbJson, dbTime, insertSql } from './raw-sql';
import type { Statement } from './write-plan';

/** The one INSERT of a delivery row, for the intake's accept and for refused deliveries. */
export function deliveryInsert(
  kind: DatabaseConfig['kind'],
  delivery: Omit<DeliveryEntity, 'executionId'>,
  executionId: string | null,
): Statement {
  return insertSql('deliveries', {
    id: delivery.id,
    hook_id: delivery.hookId,
    flow_id: delivery.flowId,
    received_at: dbTime(kind, delivery.receivedAt),
    method: delivery.method,
    headers: dbJson(delivery.headers),
    query: dbJson(delivery.query),
    content_type: delivery.contentType,
    size_bytes: delivery.sizeBytes,
    body: delivery.body,
    status: delivery.status,
    reason: delivery.reason,
    execution_id: executionId,
    replay_of: delivery.replayOf ?? null,
  });
}
