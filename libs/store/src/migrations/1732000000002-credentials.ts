import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Encrypted credentials, referenced by name from flows (the credential store). */
export class Credentials1732000000002 implements MigrationInterface {
  name = 'Credentials1732000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = postgres ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'credentials',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'key_id', type: 'varchar', length: '16' },
          { name: 'ciphertext', type: 'text' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
        uniques: [{ name: 'uq_credentials_name', columnNames: ['name'] }],
        // Rotation finds the rows still under an older key.
        indices: [{ name: 'ix_credentials_key_id', columnNames: ['key_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('credentials');
  }
}
