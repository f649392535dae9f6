import { conditionsCode, legacyConditionCode } from './map-conditions';
import type { MappedNode, MappingContext } from './n8n-mapping';

const PORT_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

function conditionOf(ctx: MappingContext): string {
  if (ctx.node.typeVersion >= 2) {
    return conditionsCode(ctx, ctx.param('conditions'), ctx.param('looseTypeValidation') === true);
  }
  return legacyConditionCode(ctx);
}

/** IF: output 0 = true, output 1 = false, as Hookflow's filter ports. */
export function mapIf(ctx: MappingContext): MappedNode {
  const node = ctx.flowNode('filter', { condition: conditionOf(ctx) });
  return ctx.single(node, (index) => (index === 0 ? ['true'] : index === 1 ? ['false'] : []));
}

/** Filter: items that fail are dropped; only the `true` port is wired (n8n's one output). */
export function mapFilter(ctx: MappingContext): MappedNode {
  const node = ctx.flowNode('filter', { condition: conditionOf(ctx) });
  if (ctx.record(ctx.param('options')).allowDiscarded === true) {
    return ctx.single(node, (index) => (index === 0 ? ['true'] : index === 1 ? ['false'] : []));
  }
  return ctx.single(node, (index) => (index === 0 ? ['true'] : []));
}

/** A port name Hookflow accepts, unique within the node. */
function portName(wanted: string, index: number, taken: Set<string>): string {
  const cleaned = wanted
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, 28);
  let port = PORT_PATTERN.test(cleaned) && cleaned !== 'default' ? cleaned : `output${index}`;
  for (let n = 2; taken.has(port); n += 1) port = `${port.slice(0, 28)}_${n}`;
  taken.add(port);
  return port;
}

interface SwitchRule {
  port: string;
  condition: string;
}

function rulesMode(ctx: MappingContext): SwitchRule[] {
  const values = ctx.record(ctx.param('rules')).values;
  const taken = new Set<string>();
  return (Array.isArray(values) ? values : []).map((raw, index) => {
    const rule = ctx.record(raw);
    const key =
      rule.renameOutput === true && typeof rule.outputKey === 'string' ? rule.outputKey : '';
    return {
      port: portName(key, index, taken),
      condition: conditionsCode(ctx, rule.conditions, ctx.param('looseTypeValidation') === true),
    };
  });
}

/** Expression mode: the expression gives the output index. */
function expressionMode(ctx: MappingContext): SwitchRule[] {
  const count =
    typeof ctx.param('numberOutputs') === 'number' ? Number(ctx.param('numberOutputs')) : 4;
  const output = ctx.jsonata(ctx.param('output'));
  return Array.from({ length: count }, (_, index) => ({
    port: `output${index}`,
    condition: `(${output}) = ${index}`,
  }));
}

/**
 * Switch v3: rule i → output i. The fallback goes to an extra output (`extra`), to one of the
 * rule outputs (a number), or nowhere (`none`, the default): Hookflow's `default` port.
 */
export function mapSwitch(ctx: MappingContext): MappedNode | undefined {
  if (ctx.node.typeVersion < 3) return undefined;
  const expression = ctx.param('mode') === 'expression';
  const rules = expression ? expressionMode(ctx) : rulesMode(ctx);
  if (rules.length === 0) return undefined;
  const options = ctx.record(ctx.param('options'));
  const fallback = options.fallbackOutput ?? 'none';
  const all = options.allMatchingOutputs === true;
  const node = ctx.flowNode('switch', { rules, mode: all ? 'all' : 'first' });
  return ctx.single(node, (index) => {
    const ports = index < rules.length ? [rules[index].port] : [];
    if (fallback === 'extra' && index === rules.length) ports.push('default');
    if (typeof fallback === 'number' && fallback === index) ports.push('default');
    return ports;
  });
}
