import { jsonataString } from './msg-paths';
import { flowNode, outcomeOf, single, stringProp, type Mapper } from './mapped-node';

const UNIT_MS: Record<string, number> = {
  milliseconds: 1,
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

function durationMs(amount: string, unit: string): number {
  const value = Number(amount);
  return Math.round((Number.isFinite(value) && value > 0 ? value : 0) * (UNIT_MS[unit] ?? 1_000));
}

/** `delay` -> delay: a fixed wait, msg.delay, or a random wait between two bounds. */
export const mapDelay: Mapper = (node, ctx) => {
  const notes: string[] = [];
  const pauseType = stringProp(node, 'pauseType', 'delay');
  const fixed = durationMs(
    stringProp(node, 'timeout', '5'),
    stringProp(node, 'timeoutUnits', 'seconds'),
  );
  let params: Record<string, unknown>;
  if (pauseType === 'delay') {
    params = { durationMs: fixed };
  } else if (pauseType === 'delayv') {
    params = { until: `$millis() + ($type(delay) = "number" and delay >= 0 ? delay : ${fixed})` };
  } else if (pauseType === 'random') {
    const first = durationMs(
      stringProp(node, 'randomFirst', '1'),
      stringProp(node, 'randomUnits', 'seconds'),
    );
    const last = durationMs(
      stringProp(node, 'randomLast', '5'),
      stringProp(node, 'randomUnits', 'seconds'),
    );
    params = { until: `$millis() + ${first} + $round($random() * ${Math.max(last - first, 0)})` };
  } else {
    params = { durationMs: 0 };
    notes.push(
      `rate limiting ("${pauseType}") spans many messages in Node-RED; a Hookflow run carries one, so it passes at once`,
    );
  }
  const made = flowNode(node, ctx, { type: 'delay', params });
  return single(made, outcomeOf(notes), notes);
};

/** `a\nb` in the editor is stored as the two characters `\` `n`. */
function unescapeSeparator(text: string): string {
  return text.replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\t/g, '\t');
}

/**
 * `split` -> split whose items are whole messages: `{ ...msg, payload: item, parts }`, like
 * Node-RED (arrays by element, strings by the separator, objects by key).
 */
export const mapSplit: Mapper = (node, ctx) => {
  const notes: string[] = [];
  const separator = unescapeSeparator(stringProp(node, 'splt', '\\n'));
  if (stringProp(node, 'spltType', 'str') !== 'str') {
    notes.push('strings are split by the text separator only (not by length or bytes)');
  }
  const chunk = Number(stringProp(node, 'arraySplt', '1'));
  if (Number.isFinite(chunk) && chunk > 1) {
    notes.push(`arrays are split into single elements, not chunks of ${chunk}`);
  }
  if (node.stream === true) notes.push('streaming mode is not converted');
  const addName = stringProp(node, 'addname');
  const keyProperty = addName !== '' ? `, ${jsonataString(addName)}: $k` : '';
  const part = (type: string, extra: string): string =>
    `"parts": { "id": $msg._msgid, "type": "${type}", "index": $i, "count": $n${extra} }`;
  const items = [
    '(',
    '  $msg := $;',
    '  $p := payload;',
    '  $type($p) = "array" ? ($n := $count($p); $map($p, function($v, $i) {',
    `    $merge([$msg, { "payload": $v, ${part('array', ', "len": 1')} }]) }))`,
    `  : $type($p) = "string" ? ($s := $split($p, ${jsonataString(separator)}); $n := $count($s); $map($s, function($v, $i) {`,
    `    $merge([$msg, { "payload": $v, ${part('string', `, "ch": ${jsonataString(separator)}`)} }]) }))`,
    '  : $type($p) = "object" ? ($ks := $keys($p); $n := $count($ks); $map($ks, function($k, $i) {',
    `    $merge([$msg, { "payload": $lookup($p, $k), ${part('object', ', "key": $k')}${keyProperty} }]) }))`,
    '  : [$msg]',
    ')',
  ].join('\n');
  const made = flowNode(node, ctx, { type: 'split', params: { items } });
  return single(made, outcomeOf(notes), notes);
};

/**
 * `join` (automatic mode) -> merge, which waits for every item of the split, plus a transform
 * rebuilding Node-RED's joined message: the last item's properties, without `parts`, and the
 * payloads as an array (or an object by key, or a string with the separator).
 */
export const mapJoin: Mapper = (node, ctx) => {
  const notes: string[] = [];
  const mode = stringProp(node, 'mode', 'auto');
  if (mode === 'reduce')
    notes.push('reduce mode is not converted; the items are joined as an array');
  else if (mode !== 'auto') {
    notes.push(
      `${mode} mode (count, timeout, msg.complete) is converted as automatic: Hookflow joins what the split produced`,
    );
  }
  if (!ctx.graph.insideSplit(node.id)) {
    notes.push(
      'no split before it: Hookflow joins one message per incoming wire, as an object keyed by node id',
    );
  }
  const merge = flowNode(node, ctx, { type: 'merge', params: {} });
  const expression = [
    '(',
    '  $last := $[-1];',
    '  $push := function($acc, $x) { $type($x) = "array" ? $append($acc, [[$x]]) : $append($acc, $x) };',
    '  $payloads := $reduce($, function($acc, $m) { $push($acc, $lookup($m, "payload")) }, []);',
    '  $kind := $last.parts.type;',
    '  $joined := $kind = "object"',
    '    ? $merge($map($, function($m) { { $string($m.parts.key): $lookup($m, "payload") } }))',
    '    : $kind = "string" ? $join($map($, function($m) { $string($lookup($m, "payload")) }), $last.parts.ch)',
    '    : $payloads;',
    '  $merge([$sift($last, function($v, $k) { $k != "parts" }), { "payload": $joined }])',
    ')',
  ].join('\n');
  const msg = flowNode(node, ctx, {
    type: 'transform',
    base: `${merge.id}_msg`,
    name: 'msg (joined)',
    offset: 1,
    params: { expression },
  });
  return { outcome: outcomeOf(notes), notes, nodes: [merge, msg], exit: () => ({ from: msg.id }) };
};
