import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Accounts: users (owner, members), browser sessions, scoped and revocable API keys, and the
 * audit log. Keys that existed before scopes become admin keys (they could do everything).
 */
export class Accounts1732000000006 implements MigrationInterface {
  name = 'Accounts1732000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = postgres ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'password_hash', type: 'varchar', length: '200' },
          { name: 'setup_slot', type: 'varchar', length: '8', isNullable: true },
          { name: 'created_at', type: timestamp },
        ],
        uniques: [
          { name: 'uq_users_email', columnNames: ['email'] },
          { name: 'uq_users_setup_slot', columnNames: ['setup_slot'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
        ],
        uniques: [{ name: 'uq_sessions_token_hash', columnNames: ['token_hash'] }],
        indices: [{ name: 'ix_sessions_user', columnNames: ['user_id'] }],
      }),
    );
    // Existing keys did everything: they stay admin keys.
    await queryRunner.addColumns('api_keys', [
      new TableColumn({ name: 'scopes', type: 'varchar', length: '32', default: "'admin'" }),
      new TableColumn({ name: 'user_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'last_used_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'revoked_at', type: timestamp, isNullable: true }),
    ]);
    await queryRunner.query(`UPDATE api_keys SET scopes = 'read,write,admin'`);
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'at', type: timestamp },
          { name: 'actor_kind', type: 'varchar', length: '16' },
          { name: 'actor_id', type: 'varchar', length: '36' },
          { name: 'actor_name', type: 'varchar', length: '254' },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'target_type', type: 'varchar', length: '32' },
          { name: 'target_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'summary', type: 'text' },
        ],
        indices: [
          { name: 'ix_audit_log_at', columnNames: ['at'] },
          { name: 'ix_audit_log_target', columnNames: ['target_type', 'target_id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_log');
    for (const column of ['revoked_at', 'last_used_at', 'user_id', 'scopes']) {
      await queryRunner.dropColumn('api_keys', column);
    }
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('users');
  }
}
