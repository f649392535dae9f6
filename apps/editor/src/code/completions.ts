import { isJsonObject, type JsonValue } from '../api/types';

/** One suggestion: `label` is shown, `apply` replaces the word before the cursor. */
export interface CompletionOption {
  label: string;
  apply: string;
  detail: string;
}

export interface Completions {
  /** Characters before the cursor the option replaces. */
  replace: number;
  options: CompletionOption[];
}

/** JSONata's built-in functions most flows use, with their signatures. */
export const JSONATA_FUNCTIONS: ReadonlyArray<[name: string, signature: string]> = [
  ['$sum', '(array)'],
  ['$count', '(array)'],
  ['$average', '(array)'],
  ['$max', '(array)'],
  ['$min', '(array)'],
  ['$round', '(number, precision?)'],
  ['$floor', '(number)'],
  ['$ceil', '(number)'],
  ['$abs', '(number)'],
  ['$number', '(value)'],
  ['$string', '(value, prettify?)'],
  ['$boolean', '(value)'],
  ['$not', '(value)'],
  ['$exists', '(value)'],
  ['$type', '(value)'],
  ['$length', '(string)'],
  ['$substring', '(string, start, length?)'],
  ['$substringBefore', '(string, chars)'],
  ['$substringAfter', '(string, chars)'],
  ['$uppercase', '(string)'],
  ['$lowercase', '(string)'],
  ['$trim', '(string)'],
  ['$pad', '(string, width, char?)'],
  ['$contains', '(string, pattern)'],
  ['$split', '(string, separator, limit?)'],
  ['$join', '(array, separator?)'],
  ['$replace', '(string, pattern, replacement, limit?)'],
  ['$match', '(string, pattern, limit?)'],
  ['$formatNumber', '(number, picture, options?)'],
  ['$now', '()'],
  ['$millis', '()'],
  ['$toMillis', '(timestamp, picture?)'],
  ['$fromMillis', '(number, picture?, timezone?)'],
  ['$keys', '(object)'],
  ['$lookup', '(object, key)'],
  ['$merge', '(array of objects)'],
  ['$each', '(object, function)'],
  ['$spread', '(object)'],
  ['$append', '(array1, array2)'],
  ['$sort', '(array, function?)'],
  ['$reverse', '(array)'],
  ['$distinct', '(array)'],
  ['$map', '(array, function)'],
  ['$filter', '(array, function)'],
  ['$reduce', '(array, function, init?)'],
  ['$zip', '(array1, ...)'],
];

/** JSONata variables a node's expression sees besides `$` (the message). */
const VARIABLES: ReadonlyArray<[name: string, detail: string]> = [
  ['$trigger', 'the request that started the run'],
  ['$nodes', 'outputs of earlier nodes by id'],
  ['$execution', 'the run (id, flowId, ...)'],
];

const MAX_PATHS = 400;

/**
 * Dot paths of a value's fields (`data`, `data.object`, `data.object.amount`). Arrays are looked
 * into through their first item, the way JSONata maps a path over an array.
 */
export function fieldPaths(value: JsonValue | undefined, prefix = '', depth = 6): string[] {
  const item = Array.isArray(value) ? value[0] : value;
  if (!isJsonObject(item) || depth === 0) return [];
  const paths: string[] = [];
  for (const [key, child] of Object.entries(item)) {
    const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `\`${key}\``;
    const path = prefix + name;
    paths.push(path, ...fieldPaths(child, `${path}.`, depth - 1));
    if (paths.length >= MAX_PATHS) break;
  }
  return paths.slice(0, MAX_PATHS);
}

/** What the expression can refer to: the message, and the trigger's request. */
export interface CompletionSource {
  message: JsonValue | undefined;
  trigger: JsonValue | undefined;
}

function describe(value: JsonValue | undefined): string {
  if (Array.isArray(value)) return `array (${value.length})`;
  if (isJsonObject(value)) return 'object';
  return value === undefined ? '' : JSON.stringify(value).slice(0, 40);
}

/** The value at a dot path (arrays through their first item), for the option's detail. */
function valueAt(root: JsonValue | undefined, path: string): JsonValue | undefined {
  let current = root;
  for (const part of path.split('.')) {
    const item = Array.isArray(current) ? current[0] : current;
    if (!isJsonObject(item)) return undefined;
    current = item[part.replace(/^`|`$/g, '')];
  }
  return current;
}

/**
 * Suggestions for the word before the cursor: field paths of the message (`data.object.amount`),
 * of `$trigger` (`$trigger.headers`), JSONata variables and functions with their signatures.
 * Nothing for an empty word or a word already complete.
 */
export function completionsFor(source: CompletionSource, before: string): Completions | undefined {
  const word = /[$A-Za-z0-9_.`]*$/.exec(before)?.[0] ?? '';
  if (word === '' || /^\d/.test(word)) return undefined;
  const lower = word.toLowerCase();
  const options: CompletionOption[] = [];
  if (word.startsWith('$trigger.')) {
    for (const path of fieldPaths(source.trigger)) {
      options.push({
        label: `$trigger.${path}`,
        apply: `$trigger.${path}`,
        detail: describe(valueAt(source.trigger, path)),
      });
    }
  } else if (word.startsWith('$')) {
    for (const [name, detail] of VARIABLES) options.push({ label: name, apply: name, detail });
    for (const [name, signature] of JSONATA_FUNCTIONS) {
      options.push({ label: `${name}${signature}`, apply: `${name}(`, detail: 'function' });
    }
  } else {
    for (const path of fieldPaths(source.message)) {
      options.push({ label: path, apply: path, detail: describe(valueAt(source.message, path)) });
    }
  }
  const matching = options.filter(
    (option) => option.label.toLowerCase().startsWith(lower) && option.apply !== word,
  );
  // Nearer paths first: `data.object` before `data.object.amount`.
  matching.sort((a, b) => a.apply.split('.').length - b.apply.split('.').length);
  return matching.length === 0
    ? undefined
    : { replace: word.length, options: matching.slice(0, 12) };
}
