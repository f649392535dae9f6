import { fieldKind } from './schema-fields';
import { previewJsonata } from './jsonata-preview';

describe('fieldKind', () => {
  it('picks a control for each kind of params schema', () => {
    expect(fieldKind({ type: 'string', 'x-hookflow-expression': 'jsonata' })).toEqual({
      kind: 'expression',
      language: 'jsonata',
    });
    expect(fieldKind({ anyOf: [{ const: 'immediately' }, { const: 'when-finished' }] })).toEqual({
      kind: 'select',
      options: ['immediately', 'when-finished'],
    });
    expect(fieldKind({ type: 'integer' })).toEqual({ kind: 'number', integer: true });
    expect(fieldKind({ type: 'boolean' })).toEqual({ kind: 'boolean' });
    expect(fieldKind({ type: 'array', items: { anyOf: [{ const: 'GET' }] } })).toEqual({
      kind: 'multi-select',
      options: ['GET'],
    });
    expect(fieldKind({ type: 'array', items: { type: 'string' } })).toEqual({
      kind: 'string-list',
    });
    expect(
      fieldKind({ type: 'object', patternProperties: { '^a$': { type: 'string' } } }).kind,
    ).toBe('record');
    expect(fieldKind({ type: 'object', properties: {} }).kind).toBe('object');
    expect(fieldKind({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toEqual({
      kind: 'json',
    });
  });
});

describe('previewJsonata', () => {
  const context = { message: { amount: 120 }, trigger: { body: { amount: 120 } } };
  it('evaluates against the message and $trigger', async () => {
    expect(
      await previewJsonata('{ "big": amount > 100, "t": $trigger.body.amount }', context),
    ).toEqual({
      kind: 'value',
      value: { big: true, t: 120 },
    });
  });
  it('reports a syntax error with its position', async () => {
    const result = await previewJsonata('{ "a": ', context);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.position).toBeGreaterThan(0);
    expect(result.kind === 'error' && result.message).toMatch(/position/);
  });
});
