import { readFile, writeFile } from 'node:fs/promises';

/** A docs page whose text between two markers is written by a script. */
export interface GeneratedSection {
  file: string;
  start: string;
  end: string;
  /** The text that goes between the markers. */
  content(): string;
}

/** The page with its generated section replaced, formatted as `prettier --check` wants it. */
export async function renderSection(section: GeneratedSection, current: string): Promise<string> {
  const start = current.indexOf(section.start);
  const end = current.indexOf(section.end);
  if (start < 0 || end < start) {
    throw new Error(`${section.file} needs the markers ${section.start} and ${section.end}`);
  }
  const text =
    current.slice(0, start + section.start.length) +
    `\n\n${section.content()}\n\n` +
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
