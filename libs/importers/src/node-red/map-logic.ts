import { translateChangeRules, type ChangeRule } from './change-rules';
import { flowNode, outcomeOf, single, stringProp, type Mapper } from './mapped-node';
import { mustacheToHandlebars } from './mustache-to-handlebars';
import { parseMsgPath } from './msg-paths';
import { translateSwitchRules, type SwitchRule } from './switch-rules';
import { unsupportedNodeFor } from './map-other';

/** `change` -> transform: every rule, in order, in one JSONata block over the message. */
export const mapChange: Mapper = (node, ctx) => {
  if (!Array.isArray(node.rules)) {
    return unsupportedNodeFor(node, ctx, 'a change node in the pre-0.18 format (no "rules" list)');
  }
  const { expression, notes } = translateChangeRules(node.rules as ChangeRule[]);
  const made = flowNode(node, ctx, { type: 'transform', params: { expression } });
  return single(made, outcomeOf(notes), notes);
};

/**
 * `switch` -> switch with one port per rule (`rule1`, `rule2`...), Node-RED output i leaving
 * from `rule<i+1>`; "checking all rules" -> mode all, "stopping after first match" -> first.
 */
export const mapSwitch: Mapper = (node, ctx) => {
  const rules = Array.isArray(node.rules) ? (node.rules as SwitchRule[]) : [];
  if (rules.length === 0) return unsupportedNodeFor(node, ctx, 'a switch without rules');
  const checkAll = node.checkall === true || node.checkall === 'true';
  const { conditions, notes } = translateSwitchRules(
    {
      property: stringProp(node, 'property', 'payload'),
      propertyType: stringProp(node, 'propertyType', 'msg'),
      rules,
    },
    checkAll ? 'all' : 'first',
  );
  if (node.repair === true) notes.push('"recreate message sequences" has no Hookflow equivalent');
  const made = flowNode(node, ctx, {
    type: 'switch',
    params: {
      rules: conditions.map((condition, index) => ({ port: `rule${index + 1}`, condition })),
      mode: checkAll ? 'all' : 'first',
    },
  });
  return single(made, outcomeOf(notes), notes, (index) => `rule${index + 1}`);
};

const OUTPUTS: Record<string, 'text' | 'json' | 'yaml'> = {
  str: 'text',
  json: 'json',
  yaml: 'yaml',
};

/**
 * `template` -> template: Mustache translated to Handlebars, rendered into the same field.
 * Mustache HTML-escapes `{{x}}`; the node's `escapeHtml` does the same when the template uses
 * only `{{x}}` tags (with `{{{x}}}` tags only, it stays off).
 */
export const mapTemplate: Mapper = (node, ctx) => {
  const notes: string[] = [];
  const source = stringProp(node, 'template');
  const syntax = stringProp(node, 'syntax', 'mustache');
  let template = source.replace(/\{\{/g, '\\{{');
  let escapeHtml = false;
  let informational: string[] = [];
  if (syntax === 'mustache') {
    const translation = mustacheToHandlebars(source);
    if (translation.unsupported) {
      return unsupportedNodeFor(
        node,
        ctx,
        `its template cannot be translated: ${translation.unsupported}`,
      );
    }
    template = translation.template;
    informational = translation.notes.filter(
      (note) => note.startsWith('Mustache sections') || note.startsWith('inside sections'),
    );
    notes.push(...translation.notes.filter((note) => !informational.includes(note)));
    for (const name of translation.contextNames) {
      notes.push(
        `{{${name}}} reads Node-RED context or environment, which Hookflow does not have: it renders empty`,
      );
    }
    escapeHtml = translation.escapedTags > 0 && translation.escapedTags >= translation.rawTags;
    if (translation.escapedTags > 0 && translation.rawTags > 0) {
      notes.push(
        `mixes {{x}} and {{{x}}} tags: every value is ${escapeHtml ? 'HTML-escaped' : 'inserted as it is'}, where Node-RED escapes only the {{x}} ones`,
      );
    }
  }
  const fieldType = stringProp(node, 'fieldType', 'msg');
  const segments = parseMsgPath(stringProp(node, 'field', 'payload') || 'payload');
  let field = 'payload';
  if (fieldType !== 'msg') {
    notes.push(`writes to ${fieldType} context in Node-RED; Hookflow writes msg.payload instead`);
  } else if (
    segments &&
    segments.every(
      (segment) => typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment),
    )
  ) {
    field = segments.join('.');
  } else {
    notes.push(
      `the field msg.${stringProp(node, 'field')} cannot be written as a dot path; msg.payload is used`,
    );
  }
  const output = OUTPUTS[stringProp(node, 'output', 'str')] ?? 'text';
  const made = flowNode(node, ctx, {
    type: 'template',
    params: { template, field, output, escapeHtml },
  });
  return single(made, outcomeOf(notes), [...notes, ...informational]);
};
