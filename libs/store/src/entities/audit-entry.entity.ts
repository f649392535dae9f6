import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A small, secret-free description of a change (names, types, scopes; never values). */
export type AuditSummary = Record<string, string | number | boolean | string[] | null>;

/** One successful change to a flow, credential, key or user, and who made it. */
@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: Date })
  at!: Date;

  /** `api-key`, `user`, `local` (the CLI) or `anonymous` (the owner's own setup). */
  @Column({ name: 'actor_kind', type: 'varchar', length: 16 })
  actorKind!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 36 })
  actorId!: string;

  @Column({ name: 'actor_name', type: 'varchar', length: 254 })
  actorName!: string;

  /** `<target type>.<verb>`, e.g. `flow.update`, `key.revoke`. */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'varchar', length: 64, nullable: true })
  targetId!: string | null;

  @Column({ type: 'simple-json' })
  summary!: AuditSummary;
}
