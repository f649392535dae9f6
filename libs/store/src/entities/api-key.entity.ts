import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a key or session may do: read < write < admin (each includes the ones before). */
export type ApiScope = 'read' | 'write' | 'admin';
export const API_SCOPES: readonly ApiScope[] = ['read', 'write', 'admin'];

/** Stored as `read,write` so both databases keep a plain string. */
const scopeList = {
  to: (scopes: readonly ApiScope[]): string => scopes.join(','),
  from: (stored: string): ApiScope[] =>
    stored.split(',').filter((scope): scope is ApiScope => API_SCOPES.includes(scope as ApiScope)),
};

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

  @Column({ type: 'varchar', length: 32, transformer: scopeList })
  scopes!: ApiScope[];

  /** The user who created it; null for the seeded/generated keys and the CLI. */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId!: string | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  /** Updated at most once a minute per key (authentication is cached between). */
  @Column({ name: 'last_used_at', type: Date, nullable: true })
  lastUsedAt!: Date | null;

  /** Revoked keys stay for the audit trail and never authenticate again. */
  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt!: Date | null;
}
