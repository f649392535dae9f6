/**
 * The queue job ids of executions, in one place: the runner, the consumer and the reconciler
 * build them, the inline queue reads the execution back out of them, executions.job_id stores
 * them. A job id names one pick-up of one execution; the execution id alone is the first.
 */
export type ExecutionJob =
  /** The pick-up the intake (or a schedule tick) enqueues. */
  | { kind: 'first' }
  /** Handed back at a checkpoint by a shutdown. */
  | { kind: 'interrupted'; at: number }
  /** The wake-up of a suspended run (delay node, retry backoff): step `seq`, due at `until`. */
  | { kind: 'wake'; seq: number; until: number }
  /** Come back later: leased elsewhere, not due, flow busy, or a transient error. */
  | { kind: 'later'; reason: string; at: number }
  /** A new job for a run whose job was lost (the reconciler). */
  | { kind: 'requeued'; at: number };

export function executionJobId(executionId: string, job: ExecutionJob): string {
  switch (job.kind) {
    case 'first':
      return executionId;
    case 'interrupted':
      return `${executionId}:i${job.at}`;
    case 'wake':
      return `${executionId}:w${job.seq}:${job.until}`;
    case 'later':
      return `${executionId}:${job.reason}:${job.at}`;
    case 'requeued':
      return `${executionId}:r${job.at}`;
  }
}

/** The execution a job id belongs to (execution ids hold no colon). */
export function executionIdOfJob(jobId: string): string {
  const end = jobId.indexOf(':');
  return end === -1 ? jobId : jobId.slice(0, end);
}
