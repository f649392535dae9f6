import { Inject, Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { newId } from '@hookflow/common';
import { Database } from './database';
import { insertRows, updateRows } from './rows';
import { ApiKeyEntity, type ApiScope } from './entities/api-key.entity';

export interface NewApiKey {
  name: string;
  prefix: string;
  hash: string;
  scopes: ApiScope[];
  userId?: string | null;
}

@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  count(): Promise<number> {
    return this.database.manager.count(ApiKeyEntity);
  }

  findByHash(hash: string): Promise<ApiKeyEntity | null> {
    return this.database.manager.findOneBy(ApiKeyEntity, { hash });
  }

  findById(id: string): Promise<ApiKeyEntity | null> {
    return this.database.manager.findOneBy(ApiKeyEntity, { id });
  }

  /** Every key, revoked ones included (they stay for the audit trail), newest first. */
  list(): Promise<ApiKeyEntity[]> {
    return this.database.manager.find(ApiKeyEntity, { order: { createdAt: 'DESC', id: 'ASC' } });
  }

  async create(input: NewApiKey): Promise<ApiKeyEntity> {
    const key = this.row(input);
    await insertRows(this.database.manager, ApiKeyEntity, key);
    return key;
  }

  /** Stores a key's hash unless it is already there (seeding is idempotent across restarts). */
  async ensure(input: NewApiKey): Promise<ApiKeyEntity> {
    return this.database.transaction(async (manager) => {
      const existing = await manager.findOneBy(ApiKeyEntity, { hash: input.hash });
      if (existing) return existing;
      const key = this.row(input);
      await insertRows(manager, ApiKeyEntity, key);
      return key;
    });
  }

  /** Marks a key revoked (once: a second revoke keeps the first time). False when unknown. */
  async revoke(id: string, at: Date): Promise<ApiKeyEntity | null> {
    await updateRows(
      this.database.manager,
      ApiKeyEntity,
      { id, revokedAt: IsNull() },
      {
        revokedAt: at,
      },
    );
    return this.findById(id);
  }

  async touch(id: string, at: Date): Promise<void> {
    await updateRows(this.database.manager, ApiKeyEntity, { id }, { lastUsedAt: at });
  }

  private row(input: NewApiKey): ApiKeyEntity {
    return {
      id: newId(),
      name: input.name,
      prefix: input.prefix,
      hash: input.hash,
      scopes: input.scopes,
      userId: input.userId ?? null,
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    };
  }
}
