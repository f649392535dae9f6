import { Column, Entity, PrimaryColumn } from 'typeorm';

export const DRY_RUN_STATUSES = ['running', 'finished', 'failed'] as const;
export type DryRunStatus = (typeof DRY_RUN_STATUSES)[number];

/**
 * A draft tried against deliveries with side effects held back (POST /api/flows/:id/dry-runs).
 * Lives apart from the execution history on purpose: nothing here is a real run. Kept a day.
 */
@Entity('dry_runs')
export class DryRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'flow_id', type: 'varchar', length: 36 })
  flowId!: string;

  /** The version tried (by default the latest draft). */
  @Column({ name: 'version_id', type: 'varchar', length: 36 })
  versionId!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** The published version it is compared with. */
  @Column({ name: 'baseline_version_id', type: 'varchar', length: 36 })
  baselineVersionId!: string;

  @Column({ name: 'baseline_version', type: 'integer' })
  baselineVersion!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: DryRunStatus;

  /** How the deliveries were chosen, as asked (`{ last: 50 }`, `{ ids: [...] }`, ...). */
  @Column({ type: 'simple-json' })
  selection!: Record<string, unknown>;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  done!: number;

  @Column({ type: 'integer', default: 0 })
  unchanged!: number;

  @Column({ type: 'integer', default: 0 })
  changed!: number;

  @Column({ type: 'integer', default: 0 })
  failed!: number;

  /** Why the dry run itself stopped (not a delivery's failure). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 254, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt!: Date | null;

  /** Deleted after this (a day after it was asked for). */
  @Column({ name: 'expires_at' })
  expiresAt!: Date;
}
