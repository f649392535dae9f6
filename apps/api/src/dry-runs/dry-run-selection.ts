import { AppError } from '@hookflow/common';
import type { JsonValue, TriggerData } from '@hookflow/engine';
import type { DeliveriesRepository, DeliveryEntity } from '@hookflow/store';
import { readStoredBody } from '../deliveries/stored-body';
import {
  DEFAULT_DRY_RUN_LAST,
  MAX_DRY_RUN_DELIVERIES,
  type CreateDryRunDto,
} from './dto/create-dry-run.dto';

/** One delivery (or pasted sample) to try, with what the flow's trigger would have given. */
export interface DryRunItem {
  deliveryId: string | null;
  /** Its recorded run: the baseline and the source of stand-in answers. */
  executionId: string | null;
  receivedAt: Date | null;
  trigger: TriggerData;
  /** Why the stored body cannot be read again (the delivery then counts as failed). */
  unreadable?: string;
}

/** The selection as stored with the dry run (what was asked, not the bodies). */
export type SelectionRecord = Record<string, unknown>;

const SELECTORS = ['last', 'from/to', 'deliveryIds', 'samples'] as const;

function chosen(dto: CreateDryRunDto): Array<(typeof SELECTORS)[number]> {
  const picks: Array<(typeof SELECTORS)[number]> = [];
  if (dto.last !== undefined) picks.push('last');
  if (dto.from !== undefined || dto.to !== undefined) picks.push('from/to');
  if (dto.deliveryIds !== undefined) picks.push('deliveryIds');
  if (dto.samples !== undefined) picks.push('samples');
  return picks;
}

function fromDelivery(delivery: DeliveryEntity): DryRunItem {
  const parsed = readStoredBody(delivery);
  const body: JsonValue = parsed.ok ? parsed.body : null;
  return {
    deliveryId: delivery.id,
    executionId: delivery.executionId,
    receivedAt: delivery.receivedAt,
    // The stored headers were redacted at intake: the dry run sees what the log shows.
    trigger: {
      method: delivery.method,
      path: `/hooks/${delivery.hookId}`,
      headers: delivery.headers,
      query: delivery.query,
      body,
      receivedAt: new Date(delivery.receivedAt).toISOString(),
    },
    ...(parsed.ok ? {} : { unreadable: parsed.reason }),
  };
}

function fromSample(body: JsonValue, now: Date): DryRunItem {
  return {
    deliveryId: null,
    executionId: null,
    receivedAt: null,
    trigger: {
      method: 'POST',
      path: '/hooks/sample',
      headers: { 'content-type': 'application/json' },
      query: {},
      body,
      receivedAt: now.toISOString(),
    },
  };
}

/**
 * The deliveries a dry run tries: one way of choosing them (the last N, a time range, ids or
 * pasted samples; the last 100 when none is given), at most 1,000. Only deliveries that started
 * a run are taken: a refused one has nothing to compare with.
 */
export async function selectDeliveries(
  flowId: string,
  dto: CreateDryRunDto,
  deliveries: DeliveriesRepository,
): Promise<{ items: DryRunItem[]; selection: SelectionRecord }> {
  const picks = chosen(dto);
  if (picks.length > 1) {
    throw new AppError(400, 'invalid_selection', 'choose deliveries one way only', [
      { path: '/', message: `got ${picks.join(', ')}; give one of ${SELECTORS.join(', ')}` },
    ]);
  }
  if (dto.samples !== undefined) {
    const now = new Date();
    return {
      items: dto.samples.map((sample) => fromSample(sample, now)),
      selection: { samples: dto.samples.length },
    };
  }
  const from = dto.from === undefined ? undefined : new Date(dto.from);
  const to = dto.to === undefined ? undefined : new Date(dto.to);
  if (from && to && from > to) {
    throw new AppError(400, 'invalid_selection', '`from` is after `to`', [
      { path: '/from', message: 'must not be after `to`' },
    ]);
  }
  const limit =
    picks[0] === 'last'
      ? (dto.last as number)
      : picks.length === 0
        ? DEFAULT_DRY_RUN_LAST
        : MAX_DRY_RUN_DELIVERIES;
  const found = await deliveries.accepted({
    flowId,
    limit,
    ...(dto.deliveryIds ? { ids: dto.deliveryIds } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  });
  if (dto.deliveryIds) {
    const missing = dto.deliveryIds.filter((id) => !found.some((delivery) => delivery.id === id));
    if (missing.length > 0) {
      throw new AppError(404, 'not_found', 'some deliveries are not runs of this flow', [
        { path: '/deliveryIds', message: missing.slice(0, 10).join(', ') },
      ]);
    }
  }
  const selection: SelectionRecord =
    picks[0] === 'deliveryIds'
      ? { deliveryIds: dto.deliveryIds }
      : picks[0] === 'from/to'
        ? { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null }
        : { last: limit };
  return { items: found.map(fromDelivery), selection };
}
