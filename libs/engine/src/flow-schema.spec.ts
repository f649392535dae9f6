import { readFileSync } from 'node:fs';
import {
  buildFlowSchema,
  buildNodeTypes,
  FLOW_SCHEMA_FILE,
  NODE_TYPES_FILE,
} from '../../../scripts/write-flow-schema';
import { FlowDocumentSchema } from './flow-document';

const HINT = 'is out of date: run `npm run schema` and commit docs/';

/** Fails with the hint first and Jest's diff after it, so the fix is the first thing read. */
function expectCommitted(file: string, current: unknown): void {
  const name = file.slice(file.lastIndexOf('docs/'));
  let committed: unknown;
  try {
    committed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${name} ${HINT} (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    expect(committed).toEqual(current);
  } catch (error) {
    throw new Error(`${name} ${HINT}\n\n${error instanceof Error ? error.message : String(error)}`);
  }
}

describe('published schemas', () => {
  it('docs/flow.schema.json equals the current FlowDocumentSchema', () => {
    expectCommitted(FLOW_SCHEMA_FILE, buildFlowSchema());
  });

  it('docs/node-types.json equals the node types that ship', () => {
    expectCommitted(NODE_TYPES_FILE, buildNodeTypes());
  });

  it('publishes the flow schema as standalone draft-07 JSON Schema with the v1 $id', () => {
    const schema = buildFlowSchema();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(FlowDocumentSchema.$id);
    expect(JSON.stringify(schema)).not.toMatch(/"\$ref"|"definitions"|"\$defs"/);
  });

  it('publishes params with a default as optional, since compileFlow fills defaults in', () => {
    const http = buildNodeTypes().items.find((nodeType) => nodeType.type === 'http.request');
    expect(http?.params.required).toEqual(['url']);
  });
});
