/** The cells of every table row in a Markdown text (separator rows left out), trimmed. */
export function tableCells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

/** A Markdown text as its non-blank lines, table rows as their cells: what formatting leaves. */
export function markdownContent(markdown: string): string[] {
  return markdown
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) => (line.startsWith('|') ? tableCells(line)[0].join(' | ') : line));
}
