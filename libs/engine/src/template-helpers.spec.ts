import { ExpressionCache, checkTemplateSyntax } from './expressions';

const scope = { trigger: {}, nodes: {}, execution: {} };
const render = (source: string, input: Record<string, unknown> = {}) =>
  new ExpressionCache().template(source).evaluate(input as never, scope);

describe('curated template helpers', () => {
  it('json, upper, lower, join and truncate', () => {
    expect(render('{{json order}}', { order: { id: 1, tags: ['a'] } })).toBe(
      '{"id":1,"tags":["a"]}',
    );
    expect(render('{{upper name}}/{{lower name}}', { name: 'Ada' })).toBe('ADA/ada');
    expect(render('{{join tags " | "}}', { tags: ['a', 'b'] })).toBe('a | b');
    expect(render('{{truncate text 5}}', { text: 'abcdefgh' })).toBe('abcd…');
  });

  it('comparisons and logic inside #if', () => {
    const template = '{{#if (and (gt amount 100) (ne status "void"))}}big{{else}}small{{/if}}';
    expect(render(template, { amount: 250, status: 'paid' })).toBe('big');
    expect(render(template, { amount: 250, status: 'void' })).toBe('small');
    expect(render('{{#if (or (eq a 1) (not b))}}y{{/if}}', { a: 2, b: false })).toBe('y');
  });

  it('default, formatDate, formatNumber and currency', () => {
    expect(render('{{default nickname "friend"}}', {})).toBe('friend');
    expect(render('{{formatDate at "date"}}', { at: '2024-05-01T12:00:00Z' })).toBe('May 1, 2024');
    expect(render('{{formatDate at}}', { at: 1714564800000 })).toBe('2024-05-01T12:00:00.000Z');
    expect(render('{{formatNumber n 2}}', { n: 1234.5 })).toBe('1,234.50');
    expect(render('{{currency cents "eur" cents=true}}', { cents: 1250 })).toBe('€12.50');
    expect(render('{{currency amount}}', { amount: 'not a number' })).toBe('');
  });

  it('still refuses any helper not on the list, at save time', () => {
    expect(checkTemplateSyntax('{{shell "rm -rf /"}}')).toBeDefined();
    expect(checkTemplateSyntax('{{upper name}}')).toBeUndefined();
  });

  it('cannot reach prototypes through lookup or constructor paths', () => {
    expect(render('{{lookup this "__proto__"}}', {})).toBe('');
    expect(render('{{constructor.constructor}}', {})).toBe('');
    expect(render('{{#with (lookup this "constructor")}}{{name}}{{/with}}', {})).toBe('');
  });
});
