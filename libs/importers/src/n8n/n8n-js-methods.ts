import type { JsNode } from './n8n-js-parser';
import {
  bind,
  Untranslatable,
  type Emitted,
  type StaticType,
  type Variables,
} from './n8n-jsonata-emit';

/** Methods and `Math` functions n8n expressions use, where JSONata can say the same. */

const MATH: Record<string, string> = { floor: '$floor', ceil: '$ceil', abs: '$abs' };

export function translateMath(name: string, args: Emitted[]): Emitted {
  const codes = args.map((arg) => arg.code);
  // JavaScript rounds halves up; JSONata's $round rounds them to even.
  if (name === 'round' && args.length === 1)
    return { code: `$floor(${codes[0]} + 0.5)`, type: 'number' };
  if (MATH[name] && args.length === 1)
    return { code: `${MATH[name]}(${codes[0]})`, type: 'number' };
  if ((name === 'max' || name === 'min') && args.length > 0) {
    return { code: `$${name}([${codes.join(', ')}])`, type: 'number' };
  }
  throw new Untranslatable(`Math.${name} is not translated`);
}

export function translateMethod(
  variables: Variables,
  name: string,
  target: Emitted,
  args: Emitted[],
  raw: JsNode[],
): Emitted {
  const on = target.code;
  const [first, second] = args;
  const str = (code: string): Emitted => ({ code, type: 'string' });
  const bool = (code: string): Emitted => ({ code, type: 'boolean' });
  const isStringLiteral = (index: number) =>
    raw[index]?.kind === 'literal' && typeof (raw[index] as { value: unknown }).value === 'string';
  switch (`${name}/${args.length}`) {
    case 'toUpperCase/0':
      return str(`$uppercase(${on})`);
    case 'toLowerCase/0':
      return str(`$lowercase(${on})`);
    case 'trim/0':
      // Not $trim: that also collapses inner whitespace.
      return str(`$replace(${on}, /^\\s+|\\s+$/, "")`);
    case 'toString/0':
      if (['string', 'number', 'boolean'].includes(target.type)) return str(`$string(${on})`);
      break;
    case 'includes/1':
      return bool(
        bind(
          on,
          variables,
          (v) => `$type(${v}) = "array" ? ${first.code} in ${v} : $contains(${v}, ${first.code})`,
        ),
      );
    case 'startsWith/1':
      return bool(bind(first.code, variables, (s) => `$substring(${on}, 0, $length(${s})) = ${s}`));
    case 'endsWith/1':
      return bool(
        bind(on, variables, (v) =>
          bind(
            first.code,
            variables,
            (s) => `$length(${s}) = 0 or $substring(${v}, -$length(${s})) = ${s}`,
          ),
        ),
      );
    case 'split/1':
      if (isStringLiteral(0)) return { code: `$split(${on}, ${first.code})`, type: 'array' };
      break;
    case 'join/0':
    case 'join/1':
      return str(`$join($map(${on}, $string), ${first?.code ?? '","'})`);
    case 'replace/2':
    case 'replaceAll/2':
      // A replacement with `$` means group references, which differ between the two.
      if (isStringLiteral(0) && isStringLiteral(1) && !second.code.includes('$')) {
        return str(
          `$replace(${on}, ${first.code}, ${second.code}${name === 'replace' ? ', 1' : ''})`,
        );
      }
      break;
    case 'substring/1':
    case 'substring/2':
      return substring(on, raw);
  }
  throw new Untranslatable(`method .${name}() with ${args.length} argument(s) is not translated`);
}

function substring(on: string, raw: JsNode[]): Emitted {
  const numbers = raw.map((arg) =>
    arg.kind === 'literal' && typeof arg.value === 'number' && arg.value >= 0
      ? arg.value
      : undefined,
  );
  const [start, end] = numbers;
  if (start === undefined || (raw.length === 2 && (end === undefined || end < start))) {
    throw new Untranslatable(
      '.substring() is translated for literal, ordered, non-negative bounds only',
    );
  }
  const length = end === undefined ? '' : `, ${end - start}`;
  return { code: `$substring(${on}, ${start}${length})`, type: 'string' as StaticType };
}
