import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@hookflow/common';
import type { JsonObject } from '@hookflow/engine';
import { ALL_NODE_TYPES, publishNodeType } from '@hookflow/nodes';
import {
  END_MARKER,
  NODES_DOC_FILE,
  nodeParamReference,
  START_MARKER,
} from '../scripts/write-node-docs';
import { sqlite, type TestDatabase } from './support/databases';
import { markdownContent } from './support/markdown';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The docs are read literally from outside: what they say about params, keys and limits must be
 * what the code does. The param tables are derived from the node-type schemas (as the
 * configuration table of docs/deploy.md is derived from the validated configuration).
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const published = ALL_NODE_TYPES.map(publishNodeType);
const paramNames = (type: string): string[] => {
  const nodeType = published.find((candidate) => candidate.type === type);
  return Object.keys((nodeType?.params.properties as JsonObject | undefined) ?? {}).sort();
};

/** The backticked names in the first column of each `| Param |` table under `## \`type\``. */
function handWrittenParamTables(page: string): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  const generatedAt = page.indexOf('## Parameters of every node type');
  for (const section of page.slice(0, generatedAt).split(/^## /m).slice(1)) {
    const type = /^`([\w.]+)`/.exec(section)?.[1];
    const lines = section.split('\n');
    const header = lines.findIndex((line) => /^\|\s*Param\s*\|/.test(line));
    if (!type || header === -1) continue;
    const names: string[] = [];
    for (const line of lines.slice(header + 2)) {
      if (!line.startsWith('|')) break;
      names.push(...[...line.split('|')[1].matchAll(/`(\w+)`/g)].map((match) => match[1]));
    }
    tables.set(type, names.sort());
  }
  return tables;
}

describe('docs match the code', () => {
  it('docs/nodes.md lists every node type with its params as the schemas give them', () => {
    const page = readFileSync(NODES_DOC_FILE, 'utf8');
    const generated = page.slice(
      page.indexOf(START_MARKER) + START_MARKER.length,
      page.indexOf(END_MARKER),
    );
    // Stale? Run `npm run docs`.
    expect(markdownContent(generated)).toEqual(markdownContent(nodeParamReference()));
    for (const nodeType of published) expect(page).toContain(`### \`${nodeType.type}\` params`);
  });

  it("docs/nodes.md's hand-written param tables name exactly each node type's params", () => {
    const tables = handWrittenParamTables(readFileSync(NODES_DOC_FILE, 'utf8'));
    expect([...tables.keys()].sort()).toEqual(
      ['email.send', 'http.request', 'slack.message', 'template', 'trigger.schedule'].sort(),
    );
    for (const [type, names] of tables)
      expect({ type, names }).toEqual({ type, names: paramNames(type) });
  });

  it("the README's trigger table lists every webhook trigger param", () => {
    const readme = read('README.md');
    const table = readme.slice(
      readme.indexOf('`trigger.webhook` params'),
      readme.indexOf('Bodies: JSON'),
    );
    const listed = markdownContent(table)
      .filter((line) => line.startsWith('`'))
      .flatMap((line) => [...line.split(' | ')[0].matchAll(/`(\w+)`/g)].map((match) => match[1]));
    expect(listed.sort()).toEqual(paramNames('trigger.webhook'));
  });

  it('docs/triggers.md names every webhook trigger param and every auth option', () => {
    const page = read('docs/triggers.md');
    const trigger = published.find((nodeType) => nodeType.type === 'trigger.webhook');
    const properties = trigger?.params.properties as Record<string, JsonObject>;
    const auth = Object.keys(properties.auth.properties as JsonObject);
    for (const name of [...Object.keys(properties), ...auth]) expect(page).toContain(`\`${name}\``);
  });

  it("docs/deploy.md's duration examples are accepted by the configuration", () => {
    const page = read('docs/deploy.md');
    const examples = [...page.matchAll(/a duration[^|]*?like ([^|]+?) \|/g)].flatMap((match) =>
      match[1].split(/,\s*|\s+or\s+/).map((example) => example.trim()),
    );
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const base = { HOOKFLOW_SQLITE_PATH: ':memory:' };
      for (const name of ['HOOKFLOW_RETENTION_MAX_AGE', 'HOOKFLOW_RETENTION_INTERVAL']) {
        expect(() => loadConfig({ ...base, [name]: example })).not.toThrow();
      }
    }
  });

  describe('over HTTP', () => {
    let database: TestDatabase;
    let hookflow: TestApp;
    beforeAll(async () => {
      database = await sqlite.create();
      hookflow = await startTestApp(database.env);
    });
    afterAll(async () => {
      await hookflow?.close();
      await database?.drop();
    });

    it('docs/node-types.json is what GET /api/node-types answers, under the same key', async () => {
      const answer = await hookflow.api<{ items: unknown[] }>('GET', '/api/node-types');
      expect(answer.status).toBe(200);
      expect(JSON.parse(read('docs/node-types.json'))).toEqual(answer.body);
    });

    it('list endpoints refuse a limit over 200, as the README says', async () => {
      const lists = ['/api/flows', '/api/executions', '/api/deliveries', '/api/audit'];
      expect(read('README.md')).toMatch(/`limit` 1 to 200/);
      for (const path of lists) {
        expect({ path, status: (await hookflow.api('GET', `${path}?limit=200`)).status }).toEqual({
          path,
          status: 200,
        });
        expect({ path, status: (await hookflow.api('GET', `${path}?limit=201`)).status }).toEqual({
          path,
          status: 400,
        });
      }
    });
  });
});
