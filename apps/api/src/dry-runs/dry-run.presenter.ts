import type { DeliveryComparison } from '@hookflow/engine';
import type { DryRunDeliveryEntity, DryRunEntity } from '@hookflow/store';

export interface DryRunDeliveryView extends DeliveryComparison {
  position: number;
  deliveryId: string | null;
  executionId: string | null;
  receivedAt: string | null;
}

/** A dry run as the API answers it: progress, the summary and (when read) each comparison. */
export interface DryRunView {
  id: string;
  flowId: string;
  status: DryRunEntity['status'];
  version: number;
  baselineVersion: number;
  selection: Record<string, unknown>;
  progress: { done: number; total: number };
  summary: { unchanged: number; changed: number; failed: number };
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string;
  deliveries?: DryRunDeliveryView[];
  /** How many comparisons match the query (the page is `deliveries`). */
  deliveriesTotal?: number;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

export function presentDryRun(
  run: DryRunEntity,
  page?: { items: DryRunDeliveryEntity[]; total: number },
): DryRunView {
  return {
    id: run.id,
    flowId: run.flowId,
    status: run.status,
    version: run.version,
    baselineVersion: run.baselineVersion,
    selection: run.selection,
    progress: { done: run.done, total: run.total },
    summary: { unchanged: run.unchanged, changed: run.changed, failed: run.failed },
    error: run.error,
    createdBy: run.createdBy,
    createdAt: iso(run.createdAt),
    finishedAt: run.finishedAt ? iso(run.finishedAt) : null,
    expiresAt: iso(run.expiresAt),
    ...(page
      ? {
          deliveriesTotal: page.total,
          deliveries: page.items.map((row) => ({
            position: row.position,
            deliveryId: row.deliveryId,
            executionId: row.executionId,
            receivedAt: row.receivedAt ? iso(row.receivedAt) : null,
            ...row.comparison,
          })),
        }
      : {}),
  };
}
