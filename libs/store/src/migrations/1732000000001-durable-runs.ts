import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Leases (one runner per execution at a time, across processes), suspension (`waiting` until
 * `run_after`), the queue job that should be carrying each execution (for the reconciler), and
 * delivery keys for idempotent intake (a unique key, not a read-then-write).
 */
export class DurableRuns1732000000001 implements MigrationInterface {
  name = 'DurableRuns1732000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = postgres ? 'timestamptz' : 'datetime';
    await queryRunner.addColumns('executions', [
      new TableColumn({ name: 'lease_owner', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'lease_until', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'run_after', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'job_id', type: 'varchar', length: '80', isNullable: true }),
      new TableColumn({ name: 'updated_at', type: timestamp, isNullable: true }),
    ]);
    await queryRunner.query('UPDATE executions SET updated_at = created_at, job_id = id');
    await queryRunner.addColumn(
      'execution_steps',
      new TableColumn({ name: 'attempt', type: 'integer', default: 1 }),
    );
    await queryRunner.createIndex(
      'executions',
      new TableIndex({
        name: 'ix_executions_status_updated',
        columnNames: ['status', 'updated_at'],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'delivery_keys',
        columns: [
          { name: 'flow_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'execution_id', type: 'varchar', length: '36' },
          { name: 'delivery_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
        ],
        indices: [{ name: 'ix_delivery_keys_expires', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('delivery_keys');
    await queryRunner.dropColumn('execution_steps', 'attempt');
    await queryRunner.dropIndex('executions', 'ix_executions_status_updated');
    for (const column of ['lease_owner', 'lease_until', 'run_after', 'job_id', 'updated_at']) {
      await queryRunner.dropColumn('executions', column);
    }
  }
}
