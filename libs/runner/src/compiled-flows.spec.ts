import { FLOW_FORMAT } from '@hookflow/engine';
import { loadConfig } from '@hookflow/common';
import type { FlowsRepository } from '@hookflow/store';
import { CompiledFlows } from './compiled-flows';

const document = {
  format: FLOW_FORMAT,
  name: 'cached',
  nodes: [{ id: 'hook', type: 'trigger.webhook', params: {} }],
  edges: [],
};

describe('CompiledFlows', () => {
  it('evicts the least recently used version, counting the lookups of load() as uses', async () => {
    const reads: string[] = [];
    const versions = {
      getVersion: async (id: string) => {
        reads.push(id);
        return { id, document };
      },
    } as unknown as FlowsRepository;
    const flows = new CompiledFlows(versions, loadConfig({}));
    for (let index = 0; index < 500; index += 1) flows.compile(`v${index}`, document);
    // The hot path reads v0 through load(): that is a use, so v1 is now the oldest.
    await flows.load('v0');
    flows.compile('v500', document);
    await flows.load('v0');
    expect(reads).toEqual([]);
    await flows.load('v1');
    expect(reads).toEqual(['v1']);
  });
});
