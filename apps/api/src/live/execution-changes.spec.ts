import { executionChanges, sseFrame, type ExecutionEvent } from './execution-changes';

const run = (id: string, status: string): ExecutionEvent => ({
  id,
  flowId: 'f',
  status,
  attempt: 1,
  createdAt: null,
  startedAt: null,
  finishedAt: null,
});

describe('executionChanges', () => {
  it('reports every execution on the first look, then only new ones and status moves', () => {
    const seen = new Map<string, string>();
    expect(executionChanges(seen, [run('a', 'pending')]).map((e) => e.id)).toEqual(['a']);
    expect(executionChanges(seen, [run('a', 'pending')])).toEqual([]);
    const next = executionChanges(seen, [run('b', 'pending'), run('a', 'succeeded')]);
    expect(next.map((e) => `${e.id}:${e.status}`)).toEqual(['b:pending', 'a:succeeded']);
  });

  it('forgets executions that left the window', () => {
    const seen = new Map<string, string>();
    executionChanges(seen, [run('a', 'pending')]);
    executionChanges(seen, [run('b', 'pending')]);
    expect([...seen.keys()]).toEqual(['b']);
  });
});

describe('sseFrame', () => {
  it('writes one event with JSON data and a blank line', () => {
    expect(sseFrame('execution', { id: 'a' })).toBe('event: execution\ndata: {"id":"a"}\n\n');
  });
});
