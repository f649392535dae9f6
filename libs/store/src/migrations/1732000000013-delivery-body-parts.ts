import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A big delivery body is stored in parts of about 1 MiB, one row each in `delivery_body_parts`,
 * and `deliveries.body_parts` says how many (null: the body is in `deliveries.body`). Written as
 * one value, a 10 MiB body cost twice its size again inside SQLite while the row was written (the
 * driver's copy of the bound value, then the encoded record); a part costs 2 MiB at most.
 */
export class DeliveryBodyParts1732000000013 implements MigrationInterface {
  name = 'DeliveryBodyParts1732000000013';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE deliveries ADD COLUMN body_parts integer NULL');
    await queryRunner.query(
      'CREATE TABLE delivery_body_parts (delivery_id varchar(36) NOT NULL, seq integer NOT NULL, ' +
        'part text NOT NULL, PRIMARY KEY (delivery_id, seq))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE delivery_body_parts');
    await queryRunner.query('ALTER TABLE deliveries DROP COLUMN body_parts');
  }
}
