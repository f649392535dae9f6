import { Inject, Injectable } from '@nestjs/common';
import type { FindOptionsWhere } from 'typeorm';
import { Database } from '../database';
import { AuditEntryEntity } from '../entities/audit-entry.entity';
import { insertRows } from '../rows';

export interface AuditQuery {
  targetType?: string;
  targetId?: string;
  limit: number;
  offset: number;
}

@Injectable()
export class AuditLogRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async insert(entry: AuditEntryEntity): Promise<void> {
    await insertRows(this.database.manager, AuditEntryEntity, entry);
  }

  /** Newest first. */
  async page(query: AuditQuery): Promise<{ items: AuditEntryEntity[]; total: number }> {
    const where: FindOptionsWhere<AuditEntryEntity> = {};
    if (query.targetType !== undefined) where.targetType = query.targetType;
    if (query.targetId !== undefined) where.targetId = query.targetId;
    const [items, total] = await this.database.manager.findAndCount(AuditEntryEntity, {
      where,
      order: { at: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total };
  }
}
