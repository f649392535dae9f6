import { StringStream } from '@codemirror/language';
import { handlebarsToken } from './handlebars-language';
import { jsonataToken } from './jsonata-language';

type Token<S> = (stream: StringStream, state: S) => string | null;

/** The styled tokens of some lines, as `[text, style]`, spaces left out. */
function tokens<S>(token: Token<S>, state: S, ...lines: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of lines) {
    const stream = new StringStream(line, 2, 2);
    while (!stream.eol()) {
      const style = token(stream, state);
      if (stream.pos === stream.start) throw new Error(`no progress at ${stream.pos} in ${line}`);
      if (style) out.push([stream.current(), style]);
      stream.start = stream.pos;
    }
  }
  return out;
}

describe('JSONata highlighting', () => {
  const jsonata = (...lines: string[]) => tokens(jsonataToken, { inComment: false }, ...lines);

  it('tells strings, numbers, functions, variables, field paths and operators apart', () => {
    expect(jsonata(`$sum(order.items.price) > 100 and name = 'it''s'`)).toEqual([
      ['$sum', 'variableName.function'],
      ['(', 'bracket'],
      ['order', 'propertyName'],
      ['.', 'operator'],
      ['items', 'propertyName'],
      ['.', 'operator'],
      ['price', 'propertyName'],
      [')', 'bracket'],
      ['>', 'operator'],
      ['100', 'number'],
      ['and', 'keyword'],
      ['name', 'propertyName'],
      ['=', 'operator'],
      [`'it'`, 'string'],
      [`'s'`, 'string'],
    ]);
    expect(jsonata('$x := `odd field`; $x ~> $uppercase()')).toContainEqual([
      '$x',
      'variableName.special',
    ]);
    expect(jsonata('"a \\" b" & true')).toEqual([
      ['"a \\" b"', 'string'],
      ['&', 'operator'],
      ['true', 'atom'],
    ]);
  });

  it('keeps a /* comment */ open across lines', () => {
    expect(jsonata('a /* one', 'two */ b')).toEqual([
      ['a', 'propertyName'],
      ['/* one', 'comment'],
      ['two */', 'comment'],
      ['b', 'propertyName'],
    ]);
  });
});

describe('Handlebars highlighting', () => {
  const handlebars = (...lines: string[]) =>
    tokens(handlebarsToken, { tag: undefined, comment: undefined }, ...lines);

  it('tells text from {{ }} paths and block helpers', () => {
    expect(handlebars('Paid {{amount}} by {{{customer.name}}}')).toEqual([
      ['Paid ', 'content'],
      ['{{', 'brace'],
      ['amount', 'variableName'],
      ['}}', 'brace'],
      [' by ', 'content'],
      ['{{{', 'brace'],
      ['customer.name', 'variableName'],
      ['}}}', 'brace'],
    ]);
    expect(handlebars('{{#each commits}}- {{this.id}} {{@index}}{{else}}none{{/each}}')).toEqual([
      ['{{', 'brace'],
      ['#each', 'keyword'],
      ['commits', 'variableName'],
      ['}}', 'brace'],
      ['- ', 'content'],
      ['{{', 'brace'],
      ['this.id', 'variableName'],
      ['}}', 'brace'],
      [' ', 'content'],
      ['{{', 'brace'],
      ['@index', 'variableName.special'],
      ['}}', 'brace'],
      ['{{', 'brace'],
      ['else', 'keyword'],
      ['}}', 'brace'],
      ['none', 'content'],
      ['{{', 'brace'],
      ['/each', 'keyword'],
      ['}}', 'brace'],
    ]);
  });

  it('reads literals, hash arguments and comments spanning lines', () => {
    expect(handlebars('{{formatDate at format="short"}}')).toContainEqual([
      'format',
      'attributeName',
    ]);
    expect(handlebars('{{formatDate at format="short"}}')).toContainEqual(['"short"', 'string']);
    expect(handlebars('a {{!-- note', 'more --}} b')).toEqual([
      ['a ', 'content'],
      ['{{!-- note', 'comment'],
      ['more --}}', 'comment'],
      [' b', 'content'],
    ]);
  });
});
