import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

/** Column helpers that pick the right type per driver, so one migration serves both. */
function columns(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.options.type === 'postgres';
  const id = (name: string, length = 36): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
  });
  return {
    primary: (name = 'id', length = 36): TableColumnOptions => ({
      ...id(name, length),
      isPrimary: true,
    }),
    id,
    text: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'text',
      isNullable: nullable,
    }),
    varchar: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    integer: (name: string, fallback?: number): TableColumnOptions => ({
      name,
      type: 'integer',
      default: fallback,
    }),
    boolean: (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false }),
    timestamp: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: postgres ? 'timestamptz' : 'datetime',
      isNullable: nullable,
    }),
  };
}

export class InitialSchema1732000000000 implements MigrationInterface {
  name = 'InitialSchema1732000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'flows',
        columns: [
          c.primary(),
          c.varchar('name', 200),
          c.boolean('enabled'),
          c.integer('version'),
          c.id('current_version_id'),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'flow_versions',
        columns: [
          c.primary(),
          c.id('flow_id'),
          c.integer('version'),
          c.text('document'),
          c.timestamp('created_at'),
        ],
        uniques: [{ name: 'uq_flow_versions_flow_version', columnNames: ['flow_id', 'version'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'hooks',
        columns: [
          c.primary('id', 64),
          c.id('flow_id'),
          c.varchar('node_id', 64),
          c.timestamp('created_at'),
        ],
        uniques: [{ name: 'uq_hooks_flow_node', columnNames: ['flow_id', 'node_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'deliveries',
        columns: [
          c.primary(),
          c.varchar('hook_id', 64),
          c.varchar('flow_id', 36, true),
          c.timestamp('received_at'),
          c.varchar('method', 10),
          c.text('headers'),
          c.text('query'),
          c.varchar('content_type', 200, true),
          c.integer('size_bytes'),
          c.text('body', true),
          c.integer('status'),
          c.varchar('reason', 500, true),
          c.varchar('execution_id', 36, true),
        ],
        indices: [
          { name: 'ix_deliveries_hook_received', columnNames: ['hook_id', 'received_at'] },
          { name: 'ix_deliveries_flow_received', columnNames: ['flow_id', 'received_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'executions',
        columns: [
          c.primary(),
          c.id('flow_id'),
          c.id('flow_version_id'),
          c.varchar('delivery_id', 36, true),
          c.varchar('status', 16),
          c.text('state'),
          c.text('error', true),
          c.integer('attempt', 0),
          c.timestamp('created_at'),
          c.timestamp('started_at', true),
          c.timestamp('finished_at', true),
        ],
      }),
    );
    await queryRunner.createIndices('executions', [
      new TableIndex({
        name: 'ix_executions_flow_created',
        columnNames: ['flow_id', 'created_at'],
      }),
      new TableIndex({ name: 'ix_executions_status', columnNames: ['status'] }),
      new TableIndex({ name: 'ix_executions_created', columnNames: ['created_at'] }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'execution_steps',
        columns: [
          c.primary(),
          c.id('execution_id'),
          c.integer('seq'),
          c.varchar('node_id', 64),
          c.varchar('node_type', 100),
          c.varchar('status', 16),
          c.varchar('port', 64, true),
          c.text('input'),
          c.text('output', true),
          c.text('error', true),
          c.timestamp('started_at'),
          c.timestamp('finished_at'),
        ],
        // A re-run of a crashed step can never record it twice.
        uniques: [{ name: 'uq_execution_steps_seq', columnNames: ['execution_id', 'seq'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          c.primary(),
          c.varchar('name', 100),
          c.varchar('prefix', 16),
          c.varchar('hash', 64),
          c.timestamp('created_at'),
        ],
        uniques: [{ name: 'uq_api_keys_hash', columnNames: ['hash'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'api_keys',
      'execution_steps',
      'executions',
      'deliveries',
      'hooks',
      'flow_versions',
      'flows',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
