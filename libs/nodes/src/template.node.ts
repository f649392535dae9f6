import { Type } from '@sinclair/typebox';
import { parse as parseYaml } from 'yaml';
import {
  defineNodeType,
  isJsonObject,
  NodeFailure,
  Template,
  toJson,
  type JsonObject,
  type JsonValue,
} from '@hookflow/engine';
import { DOT_PATH_PATTERN, hasUnsafeKey, setAtPath } from './dot-path';

/**
 * Mustache's HTML escaping (the set Node-RED's template node uses, `/` included), applied to the
 * values a template reads when `escapeHtml` is on. Hookflow renders `{{x}}` unescaped otherwise.
 */
const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '/': '&#x2F;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

function escapeHtml(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.replace(/[&<>"'`=/]/g, (char) => HTML_ENTITIES[char]);
  if (Array.isArray(value)) return value.map((item) => escapeHtml(item));
  if (isJsonObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeHtml(item)]));
  }
  return value;
}

/** Writes `value` at a dot path, copying the objects on the way (the input stays untouched). */
function withField(input: JsonValue, path: string, value: JsonValue): JsonObject {
  const output: JsonObject = isJsonObject(input) ? { ...input } : {};
  setAtPath(output, path, value);
  return output;
}

function parseOutput(text: string, output: 'json' | 'yaml'): JsonValue {
  try {
    return output === 'json' ? (JSON.parse(text) as JsonValue) : toJson(parseYaml(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new NodeFailure(
      'invalid_output',
      `the rendered template is not valid ${output.toUpperCase()}: ${reason}`,
      '/params/template',
    );
  }
}

/**
 * Renders a Handlebars template into one field of the message (a string, or the value parsed
 * from it), keeping the rest of the message: Node-RED's template node, and a plain "compose this
 * text" step.
 */
export const templateNode = defineNodeType({
  type: 'template',
  label: 'Template',
  category: 'transform',
  version: 1,
  icon: 'file-text',
  description:
    'Renders a Handlebars template into a field of the message, as text or parsed as JSON/YAML.',
  isTrigger: false,
  pure: true,
  outputs: ['main'],
  params: Type.Object(
    {
      template: Template({ description: 'Handlebars, rendered against the message' }),
      field: Type.String({
        pattern: DOT_PATH_PATTERN,
        default: 'payload',
        description: 'Dot path of the field that receives the result, e.g. `payload`',
      }),
      output: Type.Union([Type.Literal('text'), Type.Literal('json'), Type.Literal('yaml')], {
        default: 'text',
        description: 'text: the rendered string; json/yaml: the value parsed from it',
      }),
      escapeHtml: Type.Boolean({
        default: false,
        description:
          'HTML-escape the string values the template reads (`& < > " \' / ` =`), as Mustache ' +
          'does for `{{x}}`',
      }),
    },
    { additionalProperties: false },
  ),
  async execute(ctx, params) {
    if (hasUnsafeKey(params.field)) {
      throw new NodeFailure(
        'invalid_field',
        `field ${params.field} is not allowed`,
        '/params/field',
      );
    }
    const data = params.escapeHtml ? escapeHtml(ctx.input) : ctx.input;
    const text = ctx.render(params.template, data);
    const value = params.output === 'text' ? text : parseOutput(text, params.output);
    return { port: 'main', output: withField(ctx.input, params.field, value) };
  },
});
