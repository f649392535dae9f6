import { newId } from './ids';
import { executionIdOfJob, executionJobId, type ExecutionJob } from './execution-jobs';

describe('execution job ids', () => {
  const executionId = newId();

  it.each<[ExecutionJob, string]>([
    [{ kind: 'first' }, executionId],
    [{ kind: 'interrupted', at: 5 }, `${executionId}:i5`],
    [{ kind: 'wake', seq: 3, until: 9 }, `${executionId}:w3:9`],
    [{ kind: 'later', reason: 'flow_busy', at: 7 }, `${executionId}:flow_busy:7`],
    [{ kind: 'requeued', at: 8 }, `${executionId}:r8`],
  ])('%j is %s, and reads back as its execution', (job, jobId) => {
    expect(executionJobId(executionId, job)).toBe(jobId);
    expect(executionIdOfJob(jobId)).toBe(executionId);
  });

  it('execution ids hold no colon, so the execution is always read back whole', () => {
    expect(newId()).not.toContain(':');
  });
});
