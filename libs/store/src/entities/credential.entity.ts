import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A named secret for nodes and triggers. Only the ciphertext is stored: AES-256-GCM of the JSON
 * data under the key `key_id` names (see @hookflow/common crypto), bound to the row's id.
 */
@Entity('credentials')
export class CredentialEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** What flows reference (`"credential": "<name>"`); unique. */
  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;

  /** One of CREDENTIAL_TYPES; immutable. */
  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ name: 'key_id', type: 'varchar', length: 16 })
  keyId!: string;

  /** base64 of iv | tag | ciphertext. */
  @Column({ type: 'text' })
  ciphertext!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
