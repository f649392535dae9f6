/**
 * Publishes the flow document format for people and tools outside the code base:
 *
 * - docs/flow.schema.json: JSON Schema (draft-07) of a flow document, from FlowDocumentSchema.
 * - docs/node-types.json: every node type Hookflow ships, with its ports and params schema.
 *
 * Run with `npm run schema` after changing either; a unit test fails while they are stale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FlowDocumentSchema, type JsonObject } from '@hookflow/engine';
import {
  ALL_NODE_TYPES,
  JSON_SCHEMA_DRAFT,
  plainSchema,
  publishNodeType,
  type PublishedNodeType,
} from '@hookflow/nodes';

export const DOCS_DIR = path.resolve(__dirname, '..', 'docs');
export const FLOW_SCHEMA_FILE = path.join(DOCS_DIR, 'flow.schema.json');
export const NODE_TYPES_FILE = path.join(DOCS_DIR, 'node-types.json');

/** The published flow document schema: standalone (no $ref, no definitions). */
export function buildFlowSchema(): JsonObject {
  return { $schema: JSON_SCHEMA_DRAFT, ...plainSchema(FlowDocumentSchema) };
}

export function buildNodeTypes(): { items: PublishedNodeType[] } {
  // The same shape as `GET /api/node-types`.
  return { items: ALL_NODE_TYPES.map(publishNodeType) };
}

/** Formats with the repository's Prettier settings, so `prettier --check .` passes on docs/. */
async function writeJson(file: string, value: unknown): Promise<void> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(value, null, 2), {
    ...options,
    filepath: file,
  });
  await writeFile(file, text, 'utf8');
}

export async function writeSchemas(): Promise<string[]> {
  await mkdir(DOCS_DIR, { recursive: true });
  await writeJson(FLOW_SCHEMA_FILE, buildFlowSchema());
  await writeJson(NODE_TYPES_FILE, buildNodeTypes());
  return [FLOW_SCHEMA_FILE, NODE_TYPES_FILE];
}

if (require.main === module) {
  writeSchemas().then(
    (files) => {
      for (const file of files) console.log(`wrote ${path.relative(process.cwd(), file)}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
