import { readFileSync } from 'node:fs';
import {
  COVERAGE_END,
  COVERAGE_START,
  coverageTables,
  IMPORTING_DOC_FILE,
} from '../scripts/write-import-coverage';
import { tableCells } from './support/markdown';

describe('docs/importing.md coverage tables', () => {
  it('count what the importers make of every real export (npm run docs rewrites them)', () => {
    const committed = readFileSync(IMPORTING_DOC_FILE, 'utf8');
    const start = committed.indexOf(COVERAGE_START);
    const end = committed.indexOf(COVERAGE_END);
    expect(start).toBeGreaterThan(0);
    const stale = 'docs/importing.md is out of date: run `npm run docs` and commit docs/';
    const section = committed.slice(start, end);
    try {
      expect(tableCells(section)).toEqual(tableCells(coverageTables()));
      expect(section.replace(/\s+/g, ' ')).toContain(coverageTables().split('\n')[0]);
    } catch (error) {
      throw new Error(`${stale}\n\n${error instanceof Error ? error.message : String(error)}`);
    }
  });
});
