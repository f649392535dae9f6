import { Inject, Injectable } from '@nestjs/common';
import { newId } from '@hookflow/common';
import { AuditLogRepository, type AuditEntryEntity, type AuditSummary } from '@hookflow/store';
import type { Principal } from '../auth/principal';

export interface AuditRecord {
  actor: Principal | undefined;
  action: string;
  targetType: string;
  targetId: string | null;
  summary: AuditSummary;
}

export interface AuditEntryView {
  id: string;
  at: Date;
  actor: { kind: string; id: string; name: string };
  action: string;
  target: { type: string; id: string | null };
  summary: AuditSummary;
}

const present = (entry: AuditEntryEntity): AuditEntryView => ({
  id: entry.id,
  at: entry.at,
  actor: { kind: entry.actorKind, id: entry.actorId, name: entry.actorName },
  action: entry.action,
  target: { type: entry.targetType, id: entry.targetId },
  summary: entry.summary,
});

/** Who changed what, when. Also callable directly (the CLI records its own changes). */
@Injectable()
export class AuditService {
  /** Entries of this process get strictly increasing times, so newest-first is their order. */
  private lastAt = 0;

  constructor(@Inject(AuditLogRepository) private readonly log: AuditLogRepository) {}

  async record(record: AuditRecord): Promise<void> {
    this.lastAt = Math.max(Date.now(), this.lastAt + 1);
    await this.log.insert({
      id: newId(),
      at: new Date(this.lastAt),
      actorKind: record.actor?.kind ?? 'anonymous',
      actorId: record.actor?.id ?? 'anonymous',
      actorName: record.actor?.name ?? 'anonymous',
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId,
      summary: record.summary,
    });
  }

  async page(query: {
    targetType?: string;
    targetId?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: AuditEntryView[]; total: number }> {
    const { items, total } = await this.log.page(query);
    return { items: items.map(present), total };
  }
}
