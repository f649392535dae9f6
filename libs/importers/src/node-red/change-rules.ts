import { jsonataPath, jsonataString, parseMsgPath, type PathSegment } from './msg-paths';
import { typedValue } from './typed-values';

/** One rule of a Node-RED change node, as exported. */
export interface ChangeRule {
  t?: string;
  p?: string;
  pt?: string;
  to?: unknown;
  tot?: string;
  from?: unknown;
  fromt?: string;
}

export interface ChangeTranslation {
  /** One JSONata expression applying every rule in order to the message. */
  expression: string;
  /** Rules (or parts of them) that do not behave as in Node-RED. */
  notes: string[];
}

/** Writes `$v` at path `$p` (an array of keys), creating objects on the way, like Node-RED. */
const SET_FUNCTION =
  '$set := function($o, $p, $v) { $count($p) = 1 ' +
  '? $merge([$type($o) = "object" ? $o : {}, {$p[0]: $v}]) ' +
  ': $merge([$type($o) = "object" ? $o : {}, ' +
  '{$p[0]: $set($lookup($o, $p[0]), $p[[1..$count($p)-1]], $v)}]) }';

/** Removes path `$p`; a missing path leaves the object as it is. */
const UNSET_FUNCTION =
  '$unset := function($o, $p) { $type($o) = "object" and $exists($lookup($o, $p[0])) ' +
  '? ($count($p) = 1 ? $merge([{}, $sift($o, function($v, $k) { $k != $p[0] })]) ' +
  ': $merge([$o, {$p[0]: $unset($lookup($o, $p[0]), $p[[1..$count($p)-1]])}])) : $o }';

function keysOf(segments: readonly PathSegment[]): string {
  return `[${segments.map((segment) => jsonataString(String(segment))).join(', ')}]`;
}

/** `payload.x` read from the message as it is after the rules before this one. */
function onMessage(expression: string): string {
  return `$m.(${expression})`;
}

/**
 * Node-RED's "change" action: in a string, replace every occurrence (or regex match) of `from`;
 * a string, number or boolean equal to `from` is replaced by the typed `to` value.
 */
function replaceExpression(
  current: string,
  rule: ChangeRule,
  to: string,
  notes: string[],
  where: string,
): string | undefined {
  const fromType = rule.fromt ?? 'str';
  const from = typeof rule.from === 'string' ? rule.from : String(rule.from ?? '');
  const asText = `$string(${to})`;
  if (fromType === 're') {
    const pattern = from.replace(/(^|[^\\])\//g, '$1\\/');
    return `($type(${current}) = "string" ? $replace(${current}, /${pattern}/, ${asText}) : ${current})`;
  }
  if (fromType === 'str') {
    return (
      `($type(${current}) = "string" ? (${current} = ${jsonataString(from)} ? ${to} : ` +
      `$replace(${current}, ${jsonataString(from)}, ${asText})) : ${current})`
    );
  }
  if (fromType === 'num' || fromType === 'bool') {
    const value = fromType === 'num' ? String(Number(from)) : from === 'true' ? 'true' : 'false';
    return `(${current} = ${value} or ${current} = ${jsonataString(from)} ? ${to} : ${current})`;
  }
  notes.push(
    `${where}: searching for a value of type "${fromType}" is not converted; rule left out`,
  );
  return undefined;
}

function targetOf(rule: ChangeRule, where: string, notes: string[]): PathSegment[] | undefined {
  if ((rule.pt ?? 'msg') !== 'msg') {
    notes.push(
      `${where}: writes to ${rule.pt}.${rule.p ?? ''}; Hookflow has no ${rule.pt} context, rule left out`,
    );
    return undefined;
  }
  const segments = parseMsgPath(rule.p ?? '');
  if (!segments) {
    notes.push(`${where}: "msg.${rule.p ?? ''}" is not a property path; rule left out`);
    return undefined;
  }
  if (segments.some((segment) => typeof segment === 'number')) {
    notes.push(`${where}: array positions in msg.${rule.p ?? ''} are not converted; rule left out`);
    return undefined;
  }
  return segments;
}

/** The statement(s) one rule adds to the block; undefined when the rule is left out. */
function ruleStatement(
  rule: ChangeRule,
  index: number,
  notes: string[],
  helpers: Set<string>,
): string | undefined {
  const where = `rule ${index + 1} (${rule.t ?? '?'} msg.${rule.p ?? ''})`;
  const target = targetOf(rule, where, notes);
  if (!target) return undefined;
  const set = (value: string): string => {
    if (target.length === 1)
      return `$m := $merge([$m, {${jsonataString(String(target[0]))}: ${value}}])`;
    helpers.add(SET_FUNCTION);
    return `$m := $set($m, ${keysOf(target)}, ${value})`;
  };
  const unset = (segments: readonly PathSegment[]): string => {
    helpers.add(UNSET_FUNCTION);
    return `$m := $unset($m, ${keysOf(segments)})`;
  };
  switch (rule.t) {
    case 'set': {
      const value = typedValue(rule.tot, rule.to, where);
      if (value.note) notes.push(value.note);
      return set(onMessage(value.expression));
    }
    case 'change': {
      const value = typedValue(rule.tot, rule.to, where);
      if (value.note) notes.push(value.note);
      const current = `$m.${jsonataPath(target)}`;
      const replaced = replaceExpression(current, rule, onMessage(value.expression), notes, where);
      return replaced === undefined ? undefined : set(replaced);
    }
    case 'delete':
      return unset(target);
    case 'move': {
      const destination = targetOf(
        { ...rule, p: typeof rule.to === 'string' ? rule.to : '', pt: rule.tot },
        where,
        notes,
      );
      if (!destination) return undefined;
      helpers.add(SET_FUNCTION);
      return (
        `$moved := $m.${jsonataPath(target)}; ${unset(target)}; ` +
        `$m := $exists($moved) ? $set($m, ${keysOf(destination)}, $moved) : $m`
      );
    }
    default:
      notes.push(`${where}: unknown rule type "${rule.t ?? ''}"; rule left out`);
      return undefined;
  }
}

/** Node-RED change rules as one JSONata block over the message (rules apply in order). */
export function translateChangeRules(rules: readonly ChangeRule[]): ChangeTranslation {
  const notes: string[] = [];
  const helpers = new Set<string>();
  const statements = rules.flatMap((rule, index) => {
    const statement = ruleStatement(rule, index, notes, helpers);
    return statement === undefined ? [] : [statement];
  });
  const expression = ['(', [...helpers, '$m := $', ...statements, '$m'].join(';\n  '), ')'];
  return { expression: `${expression[0]}\n  ${expression[1]}\n${expression[2]}`, notes };
}
