import { jsonTemplateCode } from './n8n-json-template';
import { fieldName, stringLiteral } from './n8n-jsonata-emit';
import type { MappedNode, MappingContext } from './n8n-mapping';

const UNIT_MS: Record<string, number> = {
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/** Respond to Webhook → `respond`; the trigger then answers when the run is finished. */
export function mapRespond(ctx: MappingContext): MappedNode {
  const options = ctx.record(ctx.param('options'));
  const status = typeof options.responseCode === 'number' ? options.responseCode : 200;
  const headers: Record<string, string> = {};
  const entries = ctx.record(options.responseHeaders).entries;
  for (const item of Array.isArray(entries) ? entries : []) {
    const entry = ctx.record(item);
    if (typeof entry.name === 'string' && /^[A-Za-z0-9-]+$/.test(entry.name)) {
      headers[entry.name] = ctx.template(entry.value ?? '');
    }
  }
  const respondWith = ctx.param('respondWith') ?? 'firstIncomingItem';
  const params: Record<string, unknown> = { status, headers };
  if (respondWith === 'json') {
    params.body = jsonTemplateCode(ctx, ctx.param('responseBody') ?? '{}');
  } else if (respondWith === 'text') {
    params.body = ctx.jsonata(ctx.param('responseBody') ?? '');
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      // n8n hands the text to Express, which sends a string as text/html.
      headers['Content-Type'] = 'text/html; charset=utf-8';
    }
  } else if (respondWith === 'noData') {
    params.body = 'null';
    ctx.differs('answers a JSON null body; n8n answered an empty body');
  } else if (respondWith === 'allIncomingItems') {
    params.body = '[$]';
    ctx.differs('answers the one message in an array; n8n answered all items');
  } else if (respondWith !== 'firstIncomingItem') {
    ctx.differs(`respond with "${String(respondWith)}" is not converted; the message is answered`);
  }
  return ctx.single(ctx.flowNode('respond', params));
}

/** Wait → `delay` for a time interval or until a time; webhook/form resumes have no twin. */
export function mapWait(ctx: MappingContext): MappedNode | undefined {
  const resume = ctx.param('resume') ?? 'timeInterval';
  if (resume === 'timeInterval') {
    const amount = ctx.param('amount') ?? 1;
    const unit = String(ctx.param('unit') ?? (ctx.node.typeVersion >= 1.1 ? 'seconds' : 'hours'));
    if (typeof amount !== 'number' || !UNIT_MS[unit]) {
      ctx.differs('a computed wait time is evaluated once the node runs');
      const code = ctx.jsonata(amount);
      return ctx.single(
        ctx.flowNode('delay', {
          until: `$toMillis($now()) + (${code}) * ${UNIT_MS[unit] ?? 1000}`,
        }),
      );
    }
    return ctx.single(ctx.flowNode('delay', { durationMs: Math.round(amount * UNIT_MS[unit]) }));
  }
  if (resume === 'specificTime') {
    return ctx.single(ctx.flowNode('delay', { until: ctx.jsonata(ctx.param('dateTime') ?? '') }));
  }
  return undefined;
}

/**
 * Merge → `merge`, which waits for every incoming branch and receives `{ <sender id>: message }`.
 * The `combine` expression then gives what n8n's mode gives, for one item per input.
 */
export function mapMerge(ctx: MappingContext): MappedNode {
  const mode = String(ctx.param('mode') ?? 'append');
  const node = ctx.flowNode('merge', {});
  const mapped = ctx.single(node);
  mapped.finalize = (inputs) => {
    const senders = (index: number) => (inputs[index] ?? []).map((id) => `$.${fieldName(id)}`);
    const first = senders(0);
    const second = senders(1);
    if (mode === 'chooseBranch') {
      const output = ctx.param('output') ?? ctx.param('chooseBranchMode');
      const chosen = output === 'input2' ? second : first;
      node.params = { combine: chosen.length === 1 ? chosen[0] : `[${chosen.join(', ')}]` };
      if (output === 'empty') node.params = { combine: '{}' };
    } else if (
      mode === 'combine' &&
      (ctx.param('combineBy') ?? ctx.param('combinationMode')) === 'combineByPosition'
    ) {
      node.params = { combine: `$merge([${[...first, ...second].join(', ')}])` };
    } else {
      node.params = { combine: `[${[...first, ...second].join(', ')}]` };
      if (mode !== 'append') ctx.differs(`mode "${mode}" is approximated by appending the inputs`);
      ctx.differs(
        'the inputs are passed on as one message holding an array; n8n passed one item each',
      );
    }
    mapped.outcome = ctx.approximated ? 'approximated' : 'converted';
  };
  return mapped;
}

/** Split Out → `split`: one message per element, shaped as n8n shapes its items. */
export function mapSplitOut(ctx: MappingContext): MappedNode | undefined {
  const field = String(ctx.param('fieldToSplitOut') ?? '').trim();
  if (field === '' || field.includes(',') || field === '$binary') return undefined;
  const options = ctx.record(ctx.param('options'));
  const destination =
    typeof options.destinationFieldName === 'string' && options.destinationFieldName !== ''
      ? options.destinationFieldName
      : undefined;
  const include = String(ctx.param('include') ?? 'noOtherFields');
  const path = field.split('.').map(fieldName).join('.');
  const key = stringLiteral(destination ?? field);
  const element = destination ? `{${key}: $e}` : `($type($e) = "object" ? $e : {${key}: $e})`;
  let items = `$map(${path}, function($e) { ${element} })`;
  if (include === 'allOtherFields') {
    if (field.includes('.')) ctx.differs('the split field is not removed from the other fields');
    const rest = `$sift($, function($v, $k) { $k != ${stringLiteral(field)} })`;
    items = `($rest := ${rest}; $map(${path}, function($e) { $merge([$rest, ${element}]) }))`;
  } else if (include === 'selectedOtherFields') {
    const names = String(ctx.param('fieldsToInclude') ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const picked = names.map(
      (name) => `${stringLiteral(name)}: $lookup($, ${stringLiteral(name)})`,
    );
    items = `($picked := {${picked.join(', ')}}; $map(${path}, function($e) { $merge([${element}, $picked]) }))`;
  }
  // JSONata's $map turns an array of one into that one element; split accepts both.
  return ctx.single(ctx.flowNode('split', { items }));
}

/** Kept as an `unsupported` node: shows the original and fails when reached. */
export function mapUnsupported(ctx: MappingContext, reason: string): MappedNode {
  const code = ['jsCode', 'functionCode', 'pythonCode', 'code']
    .map((name) => ctx.param(name))
    .find((value): value is string => typeof value === 'string');
  const params: Record<string, unknown> = {
    source: 'n8n',
    sourceType: ctx.node.type,
    reason,
    ...(code !== undefined ? { code } : {}),
    original: {
      type: ctx.node.type,
      typeVersion: ctx.node.typeVersion,
      parameters: ctx.node.parameters,
    },
  };
  const mapped = ctx.single(ctx.flowNode('unsupported', params), (index) =>
    index === 0 ? ['main'] : [],
  );
  return { ...mapped, outcome: 'unsupported', notes: [reason, ...ctx.notes] };
}
