import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FlowDocument } from '../api/types';
import { credentialReferences, missingCredentials } from './credential-references';
import { detectImportKind, ImportInputProblem, prepareImport } from './detect-import';

const ROOT = path.resolve(__dirname, '../../../..');
const read = (...parts: string[]): string => readFileSync(path.join(ROOT, ...parts), 'utf8');
const jsonFiles = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir)).filter((file) => file.endsWith('.json'));

describe('detectImportKind', () => {
  it.each(jsonFiles('test/fixtures/n8n'))('recognises the n8n export %s', (file) => {
    expect(detectImportKind(JSON.parse(read('test/fixtures/n8n', file)))).toBe('n8n');
  });

  it.each(jsonFiles('test/fixtures/node-red'))('recognises the Node-RED export %s', (file) => {
    const flows: unknown = JSON.parse(read('test/fixtures/node-red', file));
    expect(detectImportKind(flows)).toBe('node-red');
    // The admin API's GET /flows answer wraps the same array.
    expect(detectImportKind({ rev: 'abc', flows })).toBe('node-red');
  });

  it('recognises the Hookflow example flows, and a document without "format"', () => {
    const examples = jsonFiles('examples')
      .map((file) => JSON.parse(read('examples', file)) as { format?: string })
      .filter((document) => document.format === 'hookflow.flow/v1');
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(detectImportKind(example)).toBe('hookflow');
    expect(detectImportKind({ name: 'x', nodes: [], edges: [] })).toBe('hookflow');
  });

  it('recognises the n8n "export:workflow --all" array, single-element or several', () => {
    const workflow: unknown = JSON.parse(read('test/fixtures/n8n/stripe-payment-alerts.json'));
    expect(detectImportKind([workflow])).toBe('n8n');
    expect(detectImportKind([workflow, workflow])).toBe('n8n');
  });

  it('does not take look-alikes for exports', () => {
    // n8n-shaped, but the nodes are not n8n nodes.
    expect(detectImportKind({ nodes: [{ type: 'webhook' }], connections: {} })).toBeUndefined();
    // n8n nodes but no connections object.
    expect(detectImportKind({ nodes: [{ type: 'n8n-nodes-base.set' }] })).toBeUndefined();
    // Objects with id/type but nothing wired into a tab.
    expect(detectImportKind([{ id: 'a', type: 'tab' }])).toBeUndefined();
    expect(detectImportKind([{ id: 'a', type: 'inject', wires: [[]] }])).toBeUndefined();
    expect(detectImportKind([])).toBeUndefined();
    expect(detectImportKind({ format: 'hookflow.flow/v2', nodes: [] })).toBeUndefined();
    expect(detectImportKind('flows')).toBeUndefined();
    expect(detectImportKind(null)).toBeUndefined();
  });

  it('recognises a minimal Node-RED export and a mixed array as nothing', () => {
    const nodeRed = [
      { id: 't1', type: 'tab', label: 'Flow 1' },
      { id: 'n1', type: 'http in', z: 't1', url: '/x', wires: [['n2']] },
      { id: 'n2', type: 'http response', z: 't1', wires: [] },
    ];
    expect(detectImportKind(nodeRed)).toBe('node-red');
    expect(detectImportKind([...nodeRed, 'stray'])).toBeUndefined();
  });
});

describe('prepareImport', () => {
  it('keeps the parsed body and the detected kind', () => {
    const text = read('test/fixtures/node-red/orders-to-slack.json');
    expect(prepareImport(text, 'auto')).toEqual({
      kind: 'node-red',
      detected: true,
      body: JSON.parse(text),
    });
  });

  it('explains what was expected when the JSON is not an export', () => {
    const attempt = () => prepareImport('{"hello": "world", "items": [1, 2]}', 'auto');
    expect(attempt).toThrow(ImportInputProblem);
    expect(attempt).toThrow(/Not a flow export: found an object with "hello", "items"/);
    expect(attempt).toThrow(/hookflow\.flow\/v1.*n8n.*Node-RED/);
    expect(() => prepareImport('[1, 2]', 'auto')).toThrow(/found an array/);
  });

  it('says when the text is not JSON, or empty', () => {
    expect(() => prepareImport('{ nodes: ', 'auto')).toThrow(/^This is not JSON \(/);
    expect(() => prepareImport('   ', 'n8n')).toThrow(/empty/);
  });

  it('posts an explicit choice as chosen, so the API names the problem', () => {
    expect(prepareImport('{"nodes": 3}', 'n8n')).toEqual({
      kind: 'n8n',
      detected: false,
      body: { nodes: 3 },
    });
    const text = read('test/fixtures/n8n/lead-routing.json');
    expect(prepareImport(text, 'n8n').detected).toBe(true);
    expect(prepareImport(text, 'node-red')).toMatchObject({ kind: 'node-red', detected: false });
  });
});

describe('credentialReferences', () => {
  const document: FlowDocument = {
    format: 'hookflow.flow/v1',
    name: 'refs',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: { auth: { credential: 'Basic/Auth' } } },
      { id: 'slack', type: 'slack.message', credential: 'Slack-Bot', params: { text: 'hi' } },
      { id: 'http', type: 'http.request', params: { list: [{ credential: 'Api~Key' }] } },
    ],
    edges: [],
  };

  it('names every credential with its JSON Pointer', () => {
    expect(credentialReferences(document)).toEqual([
      { path: '/nodes/0/params/auth/credential', name: 'Basic/Auth' },
      { path: '/nodes/1/credential', name: 'Slack-Bot' },
      { path: '/nodes/2/params/list/0/credential', name: 'Api~Key' },
    ]);
  });

  it('keeps only those not stored', () => {
    expect(missingCredentials(document, ['Slack-Bot', 'Api~Key'])).toEqual([
      { path: '/nodes/0/params/auth/credential', name: 'Basic/Auth' },
    ]);
  });
});
