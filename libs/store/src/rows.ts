import type {
  EntityManager,
  EntityTarget,
  FindOptionsWhere,
  ObjectLiteral,
  QueryDeepPartialEntity,
} from 'typeorm';

/*
 * TypeORM's QueryDeepPartialEntity recurses into JSON column types (RunState, JsonValue) until the
 * compiler gives up. Our rows are whole, typed entities, so these helpers take the entity type
 * itself and do the one widening TypeORM needs, in one place.
 */

export async function insertRows<E extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<E>,
  rows: E | E[],
): Promise<void> {
  await manager.insert(target, rows as QueryDeepPartialEntity<E>);
}

export async function updateRows<E extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<E>,
  where: FindOptionsWhere<E>,
  patch: Partial<E>,
): Promise<number> {
  const result = await manager.update(target, where, patch as QueryDeepPartialEntity<E>);
  return result.affected ?? 0;
}
