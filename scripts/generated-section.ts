/**
 * A generated section of a hand-written Markdown page: the text between two marker comments is
 * rewritten from the code (`npm run docs`), the rest of the page is left alone.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface GeneratedSection {
  file: string;
  startMarker: string;
  endMarker: string;
  render(): string;
}

/** The page with its generated section replaced, formatted as `prettier --check` wants it. */
export async function renderSection(section: GeneratedSection, current: string): Promise<string> {
  const start = current.indexOf(section.startMarker);
  const end = current.indexOf(section.endMarker);
  if (start < 0 || end < start) {
    const page = path.relative(process.cwd(), section.file);
    throw new Error(`${page} needs the markers ${section.startMarker} and ${section.endMarker}`);
  }
  const text =
    current.slice(0, start + section.startMarker.length) +
    `\n\n${section.render()}\n\n` +
    current.slice(end);
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(section.file)) ?? {};
  return prettier.format(text, { ...options, filepath: section.file });
}

export async function writeSection(section: GeneratedSection): Promise<string> {
  const current = await readFile(section.file, 'utf8');
  await writeFile(section.file, await renderSection(section, current), 'utf8');
  return section.file;
}

/** `node -r @swc-node/register scripts/<script>.ts`: writes the page, says which. */
export function writeSectionFromCli(section: GeneratedSection): void {
  writeSection(section).then(
    (file) => console.log(`wrote ${path.relative(process.cwd(), file)}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
