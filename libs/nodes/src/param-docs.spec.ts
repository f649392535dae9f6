import { isJsonObject, type JsonObject } from '@hookflow/engine';
import { ALL_NODE_TYPES, PARAM_DOCS, publishNodeType } from './index';

/** Dot paths of the params (and the params of object params) that have no title. */
function untitled(schema: JsonObject, prefix = ''): string[] {
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  return Object.entries(properties).flatMap(([name, property]) => {
    if (!isJsonObject(property)) return [prefix + name];
    const own = typeof property.title === 'string' && property.title !== '' ? [] : [prefix + name];
    return [...own, ...untitled(property, `${prefix}${name}.`)];
  });
}

/** Dot paths of a schema's params, nested objects included. */
function paramPaths(schema: JsonObject, prefix = ''): string[] {
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  return Object.entries(properties).flatMap(([name, property]) => [
    prefix + name,
    ...(isJsonObject(property) ? paramPaths(property, `${prefix}${name}.`) : []),
  ]);
}

describe('param docs (form labels, help, examples, units)', () => {
  it.each(ALL_NODE_TYPES.map((nodeType) => [nodeType.type, nodeType]))(
    '%s: every param is published with a title',
    (_type, nodeType) => {
      expect(untitled(publishNodeType(nodeType).params)).toEqual([]);
    },
  );

  it('documents only params that exist (a renamed param must take its docs along)', () => {
    const stale = Object.entries(PARAM_DOCS).flatMap(([type, docs]) => {
      const nodeType = ALL_NODE_TYPES.find((candidate) => candidate.type === type);
      if (!nodeType) return [type];
      const paths = paramPaths(publishNodeType(nodeType).params);
      return Object.keys(docs)
        .filter((path) => !paths.includes(path))
        .map((path) => `${type} ${path}`);
    });
    expect(stale).toEqual([]);
  });

  it('publishes units, examples and plain-words help beside the schema', () => {
    const http = publishNodeType(
      ALL_NODE_TYPES.find((nodeType) => nodeType.type === 'http.request')!,
    );
    const properties = http.params.properties as Record<string, JsonObject>;
    expect(properties.timeoutMs).toMatchObject({
      title: 'Timeout',
      'x-hookflow-unit': 'ms',
      minimum: 100,
    });
    expect(properties.url.examples).toEqual(['https://api.example.com/orders/{{id}}']);
    expect(properties.url['x-hookflow-expression']).toBe('handlebars');
  });
});
