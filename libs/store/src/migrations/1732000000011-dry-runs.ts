import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Dry runs (safe publish): a draft tried against deliveries with side effects held back. Two
 * tables beside the execution history, never in it: the dry run and its per-delivery comparisons.
 */
export class DryRuns1732000000011 implements MigrationInterface {
  name = 'DryRuns1732000000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = postgres ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'dry_runs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'flow_id', type: 'varchar', length: '36' },
          { name: 'version_id', type: 'varchar', length: '36' },
          { name: 'version', type: 'integer' },
          { name: 'baseline_version_id', type: 'varchar', length: '36' },
          { name: 'baseline_version', type: 'integer' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'selection', type: 'text' },
          { name: 'total', type: 'integer' },
          { name: 'done', type: 'integer', default: 0 },
          { name: 'unchanged', type: 'integer', default: 0 },
          { name: 'changed', type: 'integer', default: 0 },
          { name: 'failed', type: 'integer', default: 0 },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_by', type: 'varchar', length: '254', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'finished_at', type: timestamp, isNullable: true },
          { name: 'expires_at', type: timestamp },
        ],
        indices: [
          { name: 'ix_dry_runs_flow', columnNames: ['flow_id', 'created_at'] },
          { name: 'ix_dry_runs_expires', columnNames: ['expires_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dry_run_deliveries',
        columns: [
          { name: 'dry_run_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'position', type: 'integer', isPrimary: true },
          { name: 'delivery_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'execution_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'received_at', type: timestamp, isNullable: true },
          { name: 'verdict', type: 'varchar', length: '16' },
          { name: 'comparison', type: 'text' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dry_run_deliveries');
    await queryRunner.dropTable('dry_runs');
  }
}
