/**
 * `date.toISOString()`, remembered for the last millisecond asked: a run stamps each step when
 * it starts and finishes, and under load many steps share a millisecond. Formatting a Date costs
 * about as much as the rest of a pure node's bookkeeping; a string compare does not.
 */
let lastMs = Number.NaN;
let lastText = '';

export function isoTime(date: Date): string {
  const ms = date.getTime();
  if (ms !== lastMs) {
    lastText = date.toISOString();
    lastMs = ms;
  }
  return lastText;
}
