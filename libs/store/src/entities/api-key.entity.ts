import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Management API key. Only a SHA-256 hash is stored; the key itself is shown once. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** First characters of the key, so an operator can tell keys apart. */
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  hash!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
