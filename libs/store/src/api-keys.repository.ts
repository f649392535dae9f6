import { Inject, Injectable } from '@nestjs/common';
import { newId } from '@hookflow/common';
import { Database } from './database';
import { insertRows } from './rows';
import { ApiKeyEntity } from './entities/api-key.entity';

@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  count(): Promise<number> {
    return this.database.manager.count(ApiKeyEntity);
  }

  findByHash(hash: string): Promise<ApiKeyEntity | null> {
    return this.database.manager.findOneBy(ApiKeyEntity, { hash });
  }

  /** Stores a key's hash unless it is already there (seeding is idempotent across restarts). */
  async ensure(input: { name: string; prefix: string; hash: string }): Promise<ApiKeyEntity> {
    return this.database.transaction(async (manager) => {
      const existing = await manager.findOneBy(ApiKeyEntity, { hash: input.hash });
      if (existing) return existing;
      const key: ApiKeyEntity = { id: newId(), createdAt: new Date(), ...input };
      await insertRows(manager, ApiKeyEntity, key);
      return key;
    });
  }
}
