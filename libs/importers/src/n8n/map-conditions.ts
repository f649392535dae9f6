import { bind, stringLiteral, Variables } from './n8n-jsonata-emit';
import type { MappingContext } from './n8n-mapping';

/**
 * n8n's condition builder (IF v2, Filter v2, Switch v3 rules) as one JSONata boolean:
 * `{ options: { caseSensitive, typeValidation }, conditions: [{ leftValue, rightValue,
 * operator: { type, operation } }], combinator: 'and' | 'or' }`. IF v1 / Filter v1 use the
 * older `{ string: [{ value1, operation, value2 }], number: [...] }` shape (`legacyConditionCode`).
 */

interface Condition {
  left: unknown;
  right: unknown;
  type: string;
  operation: string;
}

/** IF v1 operation names → the v2 names. */
const LEGACY_OPERATIONS: Record<string, string> = {
  equal: 'equals',
  notEqual: 'notEquals',
  smaller: 'lt',
  smallerEqual: 'lte',
  larger: 'gt',
  largerEqual: 'gte',
  isEmpty: 'empty',
  isNotEmpty: 'notEmpty',
};

const ORDER: Record<string, string> = { gt: '>', lt: '<', gte: '>=', lte: '<=' };
const LENGTH: Record<string, string> = {
  lengthEquals: '=',
  lengthNotEquals: '!=',
  lengthGt: '>',
  lengthLt: '<',
  lengthGte: '>=',
  lengthLte: '<=',
};

class UnknownCondition extends Error {}

function regexLiteral(pattern: unknown): string {
  if (typeof pattern !== 'string') {
    throw new UnknownCondition('a regex condition with a computed pattern is not translated');
  }
  const slashed = /^\/(.*)\/([gimsuy]*)$/.exec(pattern);
  const source = slashed ? slashed[1] : pattern;
  const flags = (slashed ? slashed[2] : '').replace(/[^im]/g, '');
  return `/${source.replace(/(^|[^\\])\//g, '$1\\/')}/${flags}`;
}

/** One condition's JSONata; throws `UnknownCondition` for operations with no translation. */
function conditionCode(ctx: MappingContext, condition: Condition, options: Options): string {
  const variables = new Variables();
  const { type, operation } = condition;
  const rightRaw =
    type === 'number' && typeof condition.right === 'string' && condition.right.trim() !== ''
      ? Number.isNaN(Number(condition.right))
        ? condition.right
        : Number(condition.right)
      : condition.right;
  let left = ctx.jsonata(condition.left ?? null);
  let right = ctx.jsonata(rightRaw ?? null);
  if (options.loose && type === 'number') {
    left = `$number(${left})`;
    right = `$number(${right})`;
  }
  if (type === 'string' && !options.caseSensitive) {
    left = `$lowercase(${left})`;
    right = `$lowercase(${right})`;
  }
  const negated = (base: string) => `$not(${base})`;
  switch (operation) {
    case 'exists':
      return bind(left, variables, (v) => `$exists(${v}) and ${v} != null`);
    case 'notExists':
      return negated(bind(left, variables, (v) => `$exists(${v}) and ${v} != null`));
    case 'empty':
    case 'notEmpty': {
      const empty = bind(left, variables, (v) =>
        type === 'array'
          ? `$not($exists(${v})) or $count(${v}) = 0`
          : type === 'object'
            ? `$not($exists(${v})) or $count($keys(${v})) = 0`
            : `$not($exists(${v})) or ${v} = null or ${v} = ""`,
      );
      return operation === 'empty' ? empty : negated(empty);
    }
    case 'true':
      return `(${left} = true)`;
    case 'false':
      return `(${left} = false)`;
  }
  if (type === 'array') {
    if (operation === 'contains') return `(${right} in ${left})`;
    if (operation === 'notContains') return negated(`${right} in ${left}`);
    if (LENGTH[operation]) return `($count(${left}) ${LENGTH[operation]} ${right})`;
    throw new UnknownCondition(`array operation "${operation}" is not translated`);
  }
  if (type === 'dateTime') {
    throw new UnknownCondition('date comparisons are not translated (n8n parses many formats)');
  }
  if (operation === 'equals') return `(${left} = ${right})`;
  if (operation === 'notEquals') return `(${left} != ${right})`;
  if (type === 'number' && ORDER[operation]) return `(${left} ${ORDER[operation]} ${right})`;
  if (type !== 'string') {
    throw new UnknownCondition(`${type} operation "${operation}" is not translated`);
  }
  const positive = operation.replace(/^not([A-Z])/, (_m, first: string) => first.toLowerCase());
  let code: string;
  if (positive === 'contains') code = `$contains(${left}, ${right})`;
  else if (positive === 'startsWith') {
    code = bind(right, variables, (s) => `$substring(${left}, 0, $length(${s})) = ${s}`);
  } else if (positive === 'endsWith') {
    code = bind(
      right,
      variables,
      (s) => `$length(${s}) = 0 or $substring(${left}, -$length(${s})) = ${s}`,
    );
  } else if (positive === 'regex') code = `$contains(${left}, ${regexLiteral(condition.right)})`;
  else throw new UnknownCondition(`string operation "${operation}" is not translated`);
  return positive === operation ? `(${code})` : negated(code);
}

interface Options {
  caseSensitive: boolean;
  loose: boolean;
}

/** Joins conditions; one that cannot be translated is left in place, failing when evaluated. */
function joined(
  ctx: MappingContext,
  conditions: Condition[],
  combinator: string,
  options: Options,
) {
  if (conditions.length === 0) return 'true';
  const codes = conditions.map((condition) => {
    try {
      return conditionCode(ctx, condition, options);
    } catch (error) {
      if (!(error instanceof UnknownCondition)) throw error;
      ctx.differs(`condition left untranslated: ${error.message}`);
      return `$error(${stringLiteral(`untranslated n8n condition: ${error.message}`)})`;
    }
  });
  return codes.join(combinator === 'or' ? ' or ' : ' and ');
}

/** The v2 condition builder's value (`parameters.conditions`). */
export function conditionsCode(ctx: MappingContext, raw: unknown, looseNode = false): string {
  const group = ctx.record(raw);
  const options = ctx.record(group.options);
  const list = Array.isArray(group.conditions) ? group.conditions : [];
  const conditions = list.map((item): Condition => {
    const entry = ctx.record(item);
    const operator = ctx.record(entry.operator);
    return {
      left: entry.leftValue,
      right: entry.rightValue,
      type: typeof operator.type === 'string' ? operator.type : 'string',
      operation: typeof operator.operation === 'string' ? operator.operation : 'equals',
    };
  });
  return joined(ctx, conditions, String(group.combinator ?? 'and'), {
    caseSensitive: options.caseSensitive !== false,
    loose: looseNode || options.typeValidation === 'loose',
  });
}

/** IF v1 / Filter v1: `conditions: { string: [...], number: [...], boolean: [...] }`. */
export function legacyConditionCode(ctx: MappingContext): string {
  const groups = ctx.record(ctx.param('conditions'));
  const conditions: Condition[] = [];
  for (const type of ['boolean', 'dateTime', 'number', 'string']) {
    const list = Array.isArray(groups[type]) ? (groups[type] as unknown[]) : [];
    for (const item of list) {
      const entry = ctx.record(item);
      const operation = typeof entry.operation === 'string' ? entry.operation : 'equal';
      conditions.push({
        left: entry.value1,
        right: entry.value2 ?? (type === 'boolean' ? false : type === 'number' ? 0 : ''),
        type,
        operation: LEGACY_OPERATIONS[operation] ?? operation,
      });
    }
  }
  const combinator = ctx.param('combineOperation') === 'any' ? 'or' : 'and';
  return joined(ctx, conditions, combinator, { caseSensitive: true, loose: false });
}
