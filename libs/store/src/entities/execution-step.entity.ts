import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonValue, RunError } from '@hookflow/engine';

/**
 * One node run inside an execution: what it received, what it produced, how long it took. It is
 * the `seq`-th step of its execution (a re-run of a crashed step can never record it twice).
 */
@Entity('execution_steps')
export class ExecutionStepEntity {
  @PrimaryColumn({ name: 'execution_id', type: 'varchar', length: 36 })
  executionId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ name: 'node_id', type: 'varchar', length: 64 })
  nodeId!: string;

  @Column({ name: 'node_type', type: 'varchar', length: 100 })
  nodeType!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: 'succeeded' | 'failed' | 'retrying';

  @Column({ type: 'varchar', length: 64, nullable: true })
  port!: string | null;

  @Column({ type: 'simple-json' })
  input!: JsonValue;

  @Column({ type: 'simple-json', nullable: true })
  output!: JsonValue | null;

  @Column({ type: 'simple-json', nullable: true })
  error!: RunError | null;

  /**
   * Values stored elsewhere, comma-separated: `input` / `output` (the execution's stored trigger
   * body), `i@<seq>` / `o@<seq>` (the input / output is the output of step <seq> of the same
   * execution, stored there once).
   */
  @Column({ name: 'payload_refs', type: 'varchar', length: 20, nullable: true })
  payloadRefs!: string | null;

  /** Which try of the node this was (retries count up). */
  @Column({ type: 'integer', default: 1 })
  attempt!: number;

  @Column({ name: 'started_at' })
  startedAt!: Date;

  @Column({ name: 'finished_at' })
  finishedAt!: Date;
}
