import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as prettier from 'prettier';
import { ROOT } from './hookflow';
import { keepDryRunSection } from './dry-run-report';
import { renderMarkdown } from './report';
import type { BenchResults } from './types';

/** Formats with the repository's Prettier settings, so `npm run lint` accepts what the bench wrote. */
async function writeFormatted(path: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  const formatted = await prettier.format(text, { ...options, filepath: path });
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, formatted);
  return relative(ROOT, path);
}

/** bench/results/<stamp>.json, bench/results/latest.json and docs/BENCHMARKS.md. */
export async function writeOutputs(results: BenchResults, stamp: string): Promise<string[]> {
  const json = JSON.stringify(results, null, 2);
  const dir = join(ROOT, 'bench', 'results');
  const markdown = join(ROOT, 'docs', 'BENCHMARKS.md');
  const previous = existsSync(markdown) ? readFileSync(markdown, 'utf8') : '';
  return [
    await writeFormatted(join(dir, `${stamp}.json`), json),
    await writeFormatted(join(dir, 'latest.json'), json),
    await writeFormatted(markdown, keepDryRunSection(previous, renderMarkdown(results))),
  ];
}
