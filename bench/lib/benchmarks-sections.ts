import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { ROOT } from './hookflow';

export const BENCHMARKS_PATH = join(ROOT, 'docs', 'BENCHMARKS.md');

/** The section under `heading` (up to the next `## `), or undefined when the text has none. */
export function findSection(text: string, heading: string): string | undefined {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) return undefined;
  const after = text.indexOf('\n## ', start + heading.length + 1);
  return text.slice(start + 1, after >= 0 ? after + 1 : text.length);
}

/**
 * The text with the section under `heading` replaced by `section`, or inserted before
 * `placeBefore` (else at the end) when it has none.
 */
export function withSection(
  text: string,
  heading: string,
  placeBefore: string,
  section: string,
): string {
  const start = text.indexOf(`\n${heading}\n`);
  if (start >= 0) {
    const after = text.indexOf('\n## ', start + heading.length + 1);
    const next = after >= 0 ? after : text.length;
    return `${text.slice(0, start)}\n${section}${text.slice(next)}`;
  }
  const before = text.indexOf(`\n${placeBefore}\n`);
  return before >= 0
    ? `${text.slice(0, before)}\n${section}${text.slice(before)}`
    : `${text.trimEnd()}\n\n${section}`;
}

/** Replaces (or inserts) one section of docs/BENCHMARKS.md, leaving every other section alone. */
export async function writeSection(
  heading: string,
  placeBefore: string,
  section: string,
): Promise<string> {
  const current = existsSync(BENCHMARKS_PATH)
    ? readFileSync(BENCHMARKS_PATH, 'utf8')
    : '# Benchmarks\n';
  const text = withSection(current, heading, placeBefore, section);
  const options = (await prettier.resolveConfig(BENCHMARKS_PATH)) ?? {};
  writeFileSync(
    BENCHMARKS_PATH,
    await prettier.format(text, { ...options, filepath: BENCHMARKS_PATH }),
  );
  return BENCHMARKS_PATH;
}
