import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RunError, RunState } from '@hookflow/engine';

export const EXECUTION_STATUSES = [
  'pending',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
] as const;
/** Statuses of a run that is not over yet. */
export const UNFINISHED_STATUSES: readonly ExecutionStatus[] = ['pending', 'running', 'waiting'];
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

@Entity('executions')
export class ExecutionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'flow_id', type: 'varchar', length: 36 })
  flowId!: string;

  @Column({ name: 'flow_version_id', type: 'varchar', length: 36 })
  flowVersionId!: string;

  @Column({ name: 'delivery_id', type: 'varchar', length: 36, nullable: true })
  deliveryId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: ExecutionStatus;

  /** The checkpointed run state: where a resumed run continues. */
  @Column({ type: 'simple-json' })
  state!: RunState;

  @Column({ type: 'simple-json', nullable: true })
  error!: RunError | null;

  /** How many times a runner has picked this execution up (1 on the first run). */
  @Column({ type: 'integer', default: 0 })
  attempt!: number;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'started_at', nullable: true, type: Date })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', nullable: true, type: Date })
  finishedAt!: Date | null;

  /** The runner holding this execution; others leave it alone until `leaseUntil`. */
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_until', nullable: true, type: Date })
  leaseUntil!: Date | null;

  /** A `waiting` run (delay, retry backoff) is not due before this time. */
  @Column({ name: 'run_after', nullable: true, type: Date })
  runAfter!: Date | null;

  /** The queue job that should carry this execution; the reconciler checks it still exists. */
  @Column({ name: 'job_id', type: 'varchar', length: 80, nullable: true })
  jobId!: string | null;

  @Column({ name: 'updated_at', nullable: true, type: Date })
  updatedAt!: Date | null;
}
