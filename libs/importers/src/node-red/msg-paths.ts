/**
 * Node-RED message property paths (`payload.customer["first name"]`, `payload.items[0]`) and
 * their JSONata spelling. The Hookflow message after the trigger is the `msg` object itself, so
 * `msg.payload.x` in Node-RED is `payload.x` in JSONata.
 */

export type PathSegment = string | number;

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const JSONATA_WORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** Parses a property path; undefined when it is not one (an unclosed bracket, `a..b`). */
export function parseMsgPath(path: string): PathSegment[] | undefined {
  const source = path.trim().replace(/^msg\./, '');
  const segments: PathSegment[] = [];
  let at = 0;
  while (at < source.length) {
    if (source[at] === '[') {
      const close = source.indexOf(']', at);
      if (close === -1) return undefined;
      const inner = source.slice(at + 1, close).trim();
      const quoted = /^(["'])(.*)\1$/.exec(inner);
      if (quoted) segments.push(quoted[2]);
      else if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else return undefined;
      at = close + 1;
      if (source[at] === '.') at += 1;
      continue;
    }
    const match = /^[^.[\]]+/.exec(source.slice(at));
    if (!match) return undefined;
    segments.push(match[0]);
    at += match[0].length;
    if (source[at] === '.') {
      at += 1;
      if (at === source.length) return undefined;
    }
  }
  return segments.length > 0 ? segments : undefined;
}

function nameStep(name: string): string {
  if (PLAIN_NAME.test(name) && !JSONATA_WORDS.has(name)) return name;
  return `\`${name.replace(/`/g, '')}\``;
}

/** `payload.items[0].\`first name\``: a JSONata path from the message (or from `root`). */
export function jsonataPath(segments: readonly PathSegment[], root?: string): string {
  let out = root ?? '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? nameStep(segment) : `.${nameStep(segment)}`;
  }
  return out;
}

/** A JSONata (and JSON) string literal. */
export function jsonataString(value: string): string {
  return JSON.stringify(value);
}

/** `payload.total` for reports. */
export function displayPath(segments: readonly PathSegment[]): string {
  return segments
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}
