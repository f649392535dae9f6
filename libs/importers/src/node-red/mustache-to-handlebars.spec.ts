import { ExpressionCache, type JsonValue } from '@hookflow/engine';
import { mustacheToHandlebars } from './mustache-to-handlebars';

const cache = new ExpressionCache();
const scope = { trigger: {}, nodes: {}, execution: {} };

/** Translates and renders with Hookflow's own Handlebars (noEscape, curated helpers only). */
function render(mustache: string, data: JsonValue): string {
  const translation = mustacheToHandlebars(mustache);
  if (translation.unsupported) throw new Error(translation.unsupported);
  return cache.template(translation.template).evaluate(data, scope);
}

// Expected outputs are what mustache.js (Node-RED's template node) renders for the same input,
// worked out from the Mustache spec: sections, inverted sections, standalone lines.
describe('mustacheToHandlebars', () => {
  const msg = {
    payload: {
      name: 'Ada',
      vip: true,
      note: '',
      count: 0,
      items: [
        { sku: 'A-1', qty: 2 },
        { sku: 'B-7', qty: 1 },
      ],
      empty: [],
      address: { city: 'Lyon' },
      'first name': 'Ada L.',
    },
    topic: 'orders',
  };

  it('keeps variables and dotted names, and counts escaped and raw tags', () => {
    const translation = mustacheToHandlebars('Hi {{payload.name}} {{{topic}}} {{& topic}}');
    expect(translation.template).toBe('Hi {{payload.name}} {{{topic}}} {{{topic}}}');
    expect(translation).toMatchObject({ escapedTags: 1, rawTags: 2, notes: [] });
    expect(render('Hi {{payload.name}} / {{{topic}}}', msg)).toBe('Hi Ada / orders');
  });

  it('iterates a list section with the item as the context', () => {
    expect(render('{{#payload.items}}[{{sku}} x{{qty}}]{{/payload.items}}', msg)).toBe(
      '[A-1 x2][B-7 x1]',
    );
  });

  it('enters an object section and renders a true section with the same context', () => {
    expect(render('{{#payload.address}}{{city}}{{/payload.address}}', msg)).toBe('Lyon');
    expect(render('{{#payload.vip}}VIP {{payload.name}}{{/payload.vip}}', msg)).toBe('VIP Ada');
  });

  it('skips sections over empty lists, "", 0 and missing values, as Mustache does', () => {
    const template =
      '{{#payload.empty}}a{{/payload.empty}}{{#payload.note}}b{{/payload.note}}' +
      '{{#payload.count}}c{{/payload.count}}{{#payload.missing}}d{{/payload.missing}}.';
    expect(render(template, msg)).toBe('.');
  });

  it('renders inverted sections for empty lists, "", 0, false and missing values', () => {
    const template =
      '{{^payload.empty}}a{{/payload.empty}}{{^payload.note}}b{{/payload.note}}' +
      '{{^payload.count}}c{{/payload.count}}{{^payload.missing}}d{{/payload.missing}}' +
      '{{^payload.vip}}e{{/payload.vip}}{{^payload.items}}f{{/payload.items}}';
    expect(render(template, msg)).toBe('abcd');
    expect(mustacheToHandlebars('{{^x}}none{{/x}}').template).toBe(
      '{{#unless x}}{{!}}none{{!}}{{/unless}}',
    );
  });

  it('removes standalone section lines like the Mustache spec and keeps other line breaks', () => {
    const template =
      'Order:\n{{#payload.items}}\n- {{sku}} x {{qty}}\n{{/payload.items}}\n{{^payload.empty}}\n  (no extras)\n{{/payload.empty}}\nBye {{! a comment }}\n';
    expect(render(template, msg)).toBe('Order:\n- A-1 x 2\n- B-7 x 1\n  (no extras)\nBye \n');
  });

  it('reads message properties inside a section from the message (Mustache context search)', () => {
    const translation = mustacheToHandlebars(
      '{{#payload.items}}{{sku}} for {{payload.name}};{{/payload.items}}',
    );
    expect(translation.template).toContain('{{@root.payload.name}}');
    expect(translation.notes.join(' ')).toMatch(/@root/);
    expect(render('{{#payload.items}}{{sku}} for {{payload.name}};{{/payload.items}}', msg)).toBe(
      'A-1 for Ada;B-7 for Ada;',
    );
  });

  it('writes names Handlebars would misread as segment literals', () => {
    expect(mustacheToHandlebars('{{payload.first name}} {{true}} {{a.0.b}} {{.}}').template).toBe(
      '{{payload.[first name]}} {{[true]}} {{a.[0].b}} {{this}}',
    );
    expect(render('{{payload.first name}}', msg)).toBe('Ada L.');
    expect(
      render('{{#payload.items}}{{.}}{{/payload.items}}', { payload: { items: [1, 2] } }),
    ).toBe('12');
  });

  it('keeps a brace after a tag literal (JSON templates)', () => {
    const translation = mustacheToHandlebars('{"n": {{payload.count}}}');
    expect(render('{"n": {{payload.count}}}', msg)).toBe('{"n": 0}');
    expect(translation.template).toBe('{"n": {{payload.count}}{{!}}}');
    expect(render('{"o": {"n": {{{payload.count}}}}}', msg)).toBe('{"o": {"n": 0}}');
  });

  it('keeps a backslash before a tag as text', () => {
    expect(render('C:\\{{payload.name}}', msg)).toBe('C:\\Ada');
  });

  it('names flow, global and env references, which Hookflow cannot read', () => {
    const translation = mustacheToHandlebars('{{flow.count}} {{global.site}} {{env.HOST}} {{x}}');
    expect(translation.contextNames).toEqual(['flow.count', 'global.site', 'env.HOST']);
  });

  it('notes sections and partials', () => {
    const translation = mustacheToHandlebars('{{> header}}{{#a}}x{{/a}}');
    expect(translation.template).toBe('{{#if a}}{{#a}}x{{/a}}{{/if}}');
    expect(translation.notes).toHaveLength(2);
    expect(translation.notes[0]).toMatch(/partial \{\{> header\}\}/);
    expect(translation.notes[1]).toMatch(/non-empty string or number/);
  });

  it.each([
    ['changed delimiters', '{{=<% %>=}}<% x %>', /delimiters/],
    ['a section never closed', '{{#a}}x', /never closed/],
    ['a close without its open', '{{#a}}x{{/b}}', /does not close/],
    ['an unclosed tag', 'Hi {{name', /never closed/],
  ])('reports %s as unsupported', (_label, template, reason) => {
    const translation = mustacheToHandlebars(template);
    expect(translation.unsupported).toMatch(reason);
    expect(translation.template).toBe('');
  });

  it('escapes nothing itself: {{x}} stays {{x}} (the template node escapes when asked)', () => {
    expect(render('{{payload.name}}', { payload: { name: 'A & B' } })).toBe('A & B');
  });
});
