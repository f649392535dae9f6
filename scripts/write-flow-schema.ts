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
import type { TSchema } from '@sinclair/typebox';
import {
  FlowDocumentSchema,
  isJsonObject,
  type JsonObject,
  type JsonValue,
} from '@hookflow/engine';
import { ALL_NODE_TYPES } from '@hookflow/nodes';

export const DOCS_DIR = path.resolve(__dirname, '..', 'docs');
export const FLOW_SCHEMA_FILE = path.join(DOCS_DIR, 'flow.schema.json');
export const NODE_TYPES_FILE = path.join(DOCS_DIR, 'node-types.json');

const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/** A TypeBox schema as plain JSON Schema: the symbol-keyed TypeBox metadata is dropped. */
function plainSchema(schema: TSchema): JsonObject {
  return JSON.parse(JSON.stringify(schema)) as JsonObject;
}

/** The published flow document schema: standalone (no $ref, no definitions). */
export function buildFlowSchema(): JsonObject {
  return { $schema: JSON_SCHEMA_DRAFT, ...plainSchema(FlowDocumentSchema) };
}

/**
 * compileFlow fills in defaults before it checks params, so a param with a default may be left
 * out of a flow document. TypeBox still lists it as required; published, it is optional.
 */
function withDefaultsOptional(schema: JsonValue): JsonValue {
  if (Array.isArray(schema)) return schema.map(withDefaultsOptional);
  if (!isJsonObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) out[key] = withDefaultsOptional(value);
  const properties = out.properties;
  if (Array.isArray(out.required) && isJsonObject(properties)) {
    const required = out.required.filter((name) => {
      const property = typeof name === 'string' ? properties[name] : undefined;
      return !(isJsonObject(property) && 'default' in property);
    });
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}

export interface PublishedNodeType extends JsonObject {
  type: string;
  label: string;
  category: string;
  version: number;
  icon: string;
  description: string;
  isTrigger: boolean;
  outputs: string[];
  params: JsonObject;
}

export function buildNodeTypes(): { nodeTypes: PublishedNodeType[] } {
  return {
    nodeTypes: ALL_NODE_TYPES.map((nodeType) => ({
      type: nodeType.type,
      label: nodeType.label,
      category: nodeType.category,
      version: nodeType.version,
      icon: nodeType.icon,
      description: nodeType.description,
      isTrigger: nodeType.isTrigger,
      outputs: [...nodeType.outputs],
      params: {
        $schema: JSON_SCHEMA_DRAFT,
        ...(withDefaultsOptional(plainSchema(nodeType.params)) as JsonObject),
      },
    })),
  };
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
