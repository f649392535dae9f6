import { FLOW_FORMAT, type FlowDocument } from '@hookflow/engine';
import { credentialReferences, exportDocument, requestedHookIds } from './flow-transfer';

const document: FlowDocument = {
  format: FLOW_FORMAT,
  name: 'Transfer',
  nodes: [
    {
      id: 'hook',
      type: 'trigger.webhook',
      params: { auth: { scheme: 'github', credential: 'gh' } },
    },
    {
      id: 'fan',
      type: 'x.future',
      params: { targets: [{ credential: 'a/b' }, { url: 'x' }] },
      credential: 'smtp',
    },
  ],
  edges: [{ from: 'hook', to: 'fan' }],
};

describe('credentialReferences', () => {
  it('finds node credentials and credentials named anywhere in params, with their paths', () => {
    expect(credentialReferences(document)).toEqual([
      { path: '/nodes/0/params/auth/credential', name: 'gh' },
      { path: '/nodes/1/credential', name: 'smtp' },
      { path: '/nodes/1/params/targets/0/credential', name: 'a/b' },
    ]);
  });
});

describe('exportDocument', () => {
  it('writes the fields in one order whatever order the document had', () => {
    const shuffled = {
      edges: document.edges,
      nodes: document.nodes,
      settings: { maxConcurrency: 2 },
      name: document.name,
      format: FLOW_FORMAT,
    } as FlowDocument;
    const text = exportDocument({
      document: shuffled,
      flowId: 'f',
      hooks: [{ nodeId: 'hook', id: 'h' }],
      schemaUrl: 'https://x.test/api/schema/flow.json',
    });
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      '$schema',
      'format',
      'id',
      'name',
      'nodes',
      'edges',
      'settings',
      'hooks',
    ]);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('leaves out hooks of nodes that are not in the exported version', () => {
    const text = exportDocument({
      document,
      flowId: 'f',
      hooks: [{ nodeId: 'old-trigger', id: 'h' }],
      schemaUrl: 's',
    });
    expect(JSON.parse(text)).not.toHaveProperty('hooks');
  });
});

describe('requestedHookIds', () => {
  const hookId = 'A'.repeat(32);
  it('keeps well-formed hook ids of trigger nodes and names every other entry', () => {
    expect(requestedHookIds({ hook: hookId, fan: hookId, ghost: 'short', x: 3 }, ['hook'])).toEqual(
      {
        hookIds: { hook: hookId },
        problems: [
          { path: '/hooks/fan', message: '"fan" is not a trigger node of this flow' },
          { path: '/hooks/ghost', message: 'must be a hook id (16-64 letters, digits, - or _)' },
          { path: '/hooks/x', message: 'must be a hook id (16-64 letters, digits, - or _)' },
        ],
      },
    );
  });
});
