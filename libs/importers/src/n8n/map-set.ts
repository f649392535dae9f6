import { isExpression } from './n8n-expression';
import { jsonTemplateCode } from './n8n-json-template';
import { jsonValueCode, stringLiteral } from './n8n-jsonata-emit';
import type { MappedNode, MappingContext } from './n8n-mapping';

/** Hookflow's `set` field names: dot paths of identifier-like keys. */
const SET_FIELD = /^[A-Za-z_$][A-Za-z0-9_$-]*(\.[A-Za-z_$][A-Za-z0-9_$-]*)*$/;

interface Assignment {
  name: string;
  /** JSONata giving the value, converted to the declared type. */
  expression: string;
}

/** n8n converts each value to the field's declared type; so does the JSONata written here. */
function typed(ctx: MappingContext, type: string, value: unknown): string {
  if (!isExpression(value)) {
    if ((type === 'array' || type === 'object' || type === 'json') && typeof value === 'string') {
      return jsonTemplateCode(ctx, value);
    }
    if (
      type === 'number' &&
      typeof value === 'string' &&
      value.trim() !== '' &&
      !Number.isNaN(Number(value))
    ) {
      return String(Number(value));
    }
    if (type === 'string' && value !== null && typeof value !== 'string' && value !== undefined) {
      return stringLiteral(String(value));
    }
    return jsonValueCode(value);
  }
  const translated = ctx.jsonataValue(value);
  if (type === 'string' && translated.type !== 'string') return `$string(${translated.jsonata})`;
  if (type === 'number' && translated.type !== 'number') return `$number(${translated.jsonata})`;
  if (type === 'boolean' && translated.type !== 'boolean') {
    ctx.differs(`"${value}" is not converted to a boolean as n8n would ("true" → true)`);
  }
  return translated.jsonata;
}

/** The fields of every Set version: v3.3+ `assignments`, v3.0–3.2 `fields`, v1–2 `values`. */
function assignments(ctx: MappingContext): Assignment[] {
  const v33 = ctx.record(ctx.param('assignments')).assignments;
  if (Array.isArray(v33)) {
    return v33.map((raw) => {
      const entry = ctx.record(raw);
      const type = typeof entry.type === 'string' ? entry.type : 'string';
      return { name: String(entry.name ?? ''), expression: typed(ctx, type, entry.value) };
    });
  }
  const v30 = ctx.record(ctx.param('fields')).values;
  if (Array.isArray(v30)) {
    return v30.map((raw) => {
      const entry = ctx.record(raw);
      const type = typeof entry.type === 'string' ? entry.type.replace(/Value$/, '') : 'string';
      return {
        name: String(entry.name ?? ''),
        expression: typed(ctx, type, entry[`${type}Value`]),
      };
    });
  }
  const legacy = ctx.record(ctx.param('values'));
  return ['string', 'number', 'boolean'].flatMap((type) =>
    (Array.isArray(legacy[type]) ? (legacy[type] as unknown[]) : []).map((raw) => {
      const entry = ctx.record(raw);
      return { name: String(entry.name ?? ''), expression: typed(ctx, type, entry.value) };
    }),
  );
}

/** What the output starts from: 'all' input fields, 'none', or a selection. */
function included(ctx: MappingContext): { mode: string; fields: string[] } {
  const list = (value: unknown) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((field) => field.trim())
          .filter(Boolean)
      : [];
  const version = ctx.node.typeVersion;
  if (version < 3) return { mode: ctx.param('keepOnlySet') === true ? 'none' : 'all', fields: [] };
  const include = typeof ctx.param('include') === 'string' ? String(ctx.param('include')) : 'all';
  if (version >= 3.3 && ctx.param('includeOtherFields') !== true)
    return { mode: 'none', fields: [] };
  if (version < 3.3 && ctx.param('include') === undefined) return { mode: 'none', fields: [] };
  const fields =
    include === 'selected' ? list(ctx.param('includeFields')) : list(ctx.param('excludeFields'));
  return { mode: include, fields };
}

/** Set / Edit Fields → `set` (or a `transform` where `set` cannot say it: raw mode, selections). */
export function mapSet(ctx: MappingContext): MappedNode {
  if (ctx.param('mode') === 'raw') {
    const code = jsonTemplateCode(ctx, ctx.param('jsonOutput') ?? '{}');
    const base = included(ctx);
    const expression = base.mode === 'all' ? `$merge([$, ${code}])` : code;
    return ctx.single(ctx.flowNode('transform', { expression }));
  }
  const fields = assignments(ctx).filter((field) => field.name !== '');
  const dotNotation = ctx.record(ctx.param('options')).dotNotation !== false;
  const base = included(ctx);
  const plain = fields.every((field) => SET_FIELD.test(field.name)) && dotNotation;
  if (plain && (base.mode === 'all' || base.mode === 'none') && fields.length > 0) {
    const params = {
      fields: fields.map((field) => ({ name: field.name, expression: field.expression })),
      keepOtherFields: base.mode === 'all',
    };
    return ctx.single(ctx.flowNode('set', params));
  }
  if (dotNotation && fields.some((field) => field.name.includes('.'))) {
    ctx.differs('dotted field names are set as flat keys here, not as nested objects');
  }
  const names = jsonValueCode(base.fields);
  const start =
    base.mode === 'all'
      ? '$'
      : base.mode === 'selected'
        ? `$sift($, function($v, $k) { $k in ${names} })`
        : base.mode === 'except'
          ? `$sift($, function($v, $k) { $not($k in ${names}) })`
          : '{}';
  const object = `{${fields.map((field) => `${stringLiteral(field.name)}: ${field.expression}`).join(', ')}}`;
  return ctx.single(ctx.flowNode('transform', { expression: `$merge([${start}, ${object}])` }));
}
