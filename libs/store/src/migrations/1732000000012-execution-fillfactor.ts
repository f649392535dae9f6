import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL: executions pages keep 30 % free, so an update that changes no indexed column (a
 * checkpoint: state and lease) writes its new row version on the same page, as a HOT update,
 * without a new entry in each of the table's six indexes. A run is updated three times within
 * milliseconds of its insert (claim, checkpoint, final record); at the default fill factor of
 * 100 the page it was inserted into is full by then. Applies to pages written from now on; no
 * rewrite. SQLite has no such setting (its indexes are updated per changed column).
 */
export class ExecutionFillfactor1732000000012 implements MigrationInterface {
  name = 'ExecutionFillfactor1732000000012';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('ALTER TABLE executions SET (fillfactor = 70)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('ALTER TABLE executions RESET (fillfactor)');
  }
}
