/** Where a command writes: stdout for results, stderr for progress and notes. */
export interface Output {
  json: boolean;
  /** Is stderr a terminal (progress redraws a line) or a log (one line per step)? */
  interactive: boolean;
  result(text: string): void;
  note(text: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    interactive: process.stderr.isTTY === true,
    result: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    note: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}

/** `--json`: the API's answer as it is, for scripts; otherwise the human form. */
export function emit(out: Output, value: unknown, human: () => string): void {
  out.result(out.json ? JSON.stringify(value, null, 2) : human());
}

/** Columns padded to the widest cell; long cells cut so one row stays one line. */
export function table(headers: string[], rows: string[][], maxCell = 48): string {
  if (rows.length === 0) return '(none)';
  const cut = (cell: string) => (cell.length > maxCell ? `${cell.slice(0, maxCell - 1)}…` : cell);
  const cells = [headers, ...rows.map((row) => row.map(cut))];
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `2026-11-23T14:05:09.123Z` → `2026-11-23 14:05:09`: enough for a list. */
export function shortTime(iso: unknown): string {
  return typeof iso === 'string' ? iso.replace('T', ' ').replace(/\.\d+Z$/, '') : '-';
}

/** A progress line per item: redrawn on a terminal, one line each in a log. */
export function progress(out: Output, done: number, total: number, label: string): void {
  if (out.json || total <= 1) return;
  const line = `[${done}/${total}] ${label}`;
  if (out.interactive) {
    process.stderr.write(`\r\x1b[K${line}${done === total ? '\n' : ''}`);
  } else {
    out.note(line);
  }
}
