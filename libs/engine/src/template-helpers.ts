import type { HelperDelegate, HelperOptions } from 'handlebars';

/*
 * The curated Handlebars helpers templates may use. Nothing else is registered, and templates
 * are compiled with `knownHelpersOnly`, so a template cannot call anything not listed here.
 * Every helper is pure and total: a value of the wrong kind renders empty, never throws.
 */

/** Handlebars passes its options object last; the real arguments are the ones before it. */
function args(values: unknown[]): unknown[] {
  return values.slice(0, -1);
}

function isOptions(value: unknown): value is HelperOptions {
  return typeof value === 'object' && value !== null && 'hash' in value && 'data' in value;
}

function toNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') {
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : new Date(at);
  }
  return undefined;
}

const DATE_STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'medium', timeZone: 'UTC' },
  datetime: { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' },
  time: { timeStyle: 'short', timeZone: 'UTC' },
};

export const TEMPLATE_HELPERS: Record<string, HelperDelegate> = {
  json: (...values: unknown[]) => JSON.stringify(args(values)[0] ?? null),
  eq: (...values: unknown[]) => args(values)[0] === args(values)[1],
  ne: (...values: unknown[]) => args(values)[0] !== args(values)[1],
  gt: (...values: unknown[]) =>
    (toNumber(args(values)[0]) ?? NaN) > (toNumber(args(values)[1]) ?? NaN),
  lt: (...values: unknown[]) =>
    (toNumber(args(values)[0]) ?? NaN) < (toNumber(args(values)[1]) ?? NaN),
  and: (...values: unknown[]) => args(values).every(Boolean),
  or: (...values: unknown[]) => args(values).some(Boolean),
  not: (...values: unknown[]) => !args(values)[0],
  default: (...values: unknown[]) => {
    const [value, fallback] = args(values);
    return value === undefined || value === null || value === '' ? fallback : value;
  },
  upper: (...values: unknown[]) => String(args(values)[0] ?? '').toUpperCase(),
  lower: (...values: unknown[]) => String(args(values)[0] ?? '').toLowerCase(),
  truncate: (...values: unknown[]) => {
    const [value, length] = args(values);
    const text = String(value ?? '');
    const max = toNumber(length) ?? 100;
    return text.length <= max ? text : `${text.slice(0, Math.max(max - 1, 0))}…`;
  },
  join: (...values: unknown[]) => {
    const [list, separator] = args(values);
    return Array.isArray(list)
      ? list.map((item) => String(item)).join(typeof separator === 'string' ? separator : ', ')
      : '';
  },
  /** `{{formatDate created "date"}}`: `date`, `datetime`, `time` (UTC, en-US) or `iso` (default). */
  formatDate: (...values: unknown[]) => {
    const [value, style] = args(values);
    const date = toDate(value);
    if (!date || Number.isNaN(date.getTime())) return '';
    const options = typeof style === 'string' ? DATE_STYLES[style] : undefined;
    return options ? new Intl.DateTimeFormat('en-US', options).format(date) : date.toISOString();
  },
  /** `{{formatNumber 1234.5 2}}` → `1,234.50`. */
  formatNumber: (...values: unknown[]) => {
    const [value, decimals] = args(values);
    const number = toNumber(value);
    if (number === undefined) return '';
    const digits = Math.min(Math.max(toNumber(decimals) ?? 0, 0), 10);
    return new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(number);
  },
  /** `{{currency cents "EUR" cents=true}}` → `€12.50` (amounts in minor units with cents=true). */
  currency: (...values: unknown[]) => {
    const options = values.at(-1);
    const [value, code] = args(values);
    const number = toNumber(value);
    if (number === undefined) return '';
    const inCents = isOptions(options) && options.hash.cents === true;
    const currency =
      typeof code === 'string' && /^[A-Za-z]{3}$/.test(code) ? code.toUpperCase() : 'USD';
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(
      inCents ? number / 100 : number,
    );
  },
};

/** For `knownHelpers`: lets `knownHelpersOnly` accept exactly these names. */
export const KNOWN_TEMPLATE_HELPERS: Record<string, boolean> = Object.fromEntries(
  Object.keys(TEMPLATE_HELPERS).map((name) => [name, true]),
);
