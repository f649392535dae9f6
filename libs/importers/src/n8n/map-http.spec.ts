import type { FlowNode } from '@hookflow/engine';
import { convertN8nWorkflow } from './convert-n8n-workflow';

type Params = Record<string, unknown>;

const HOOK = {
  name: 'Hook',
  type: 'n8n-nodes-base.webhook',
  typeVersion: 2,
  parameters: { httpMethod: 'POST' },
};

/** One webhook → HTTP Request workflow; the converted request node and its report entry. */
function convert(typeVersion: number, parameters: Params, credentials?: Params) {
  const http = {
    name: 'Call',
    type: 'n8n-nodes-base.httpRequest',
    typeVersion,
    parameters,
    ...(credentials ? { credentials } : {}),
  };
  const { document, report } = convertN8nWorkflow({
    name: 'http',
    nodes: [HOOK, http],
    connections: { Hook: { main: [[{ node: 'Call', type: 'main', index: 0 }]] } },
  });
  const request = document.nodes.find((node) => node.id === 'call') as FlowNode;
  const entry = report.nodes.find((node) => node.sourceName === 'Call');
  return { request, entry, report };
}

describe('n8n HTTP Request, every version', () => {
  it('v1: requestMethod, key-value query/headers/body, header auth', () => {
    const { request, entry, report } = convert(
      1,
      {
        requestMethod: 'POST',
        url: 'https://api.example.test/orders',
        queryParametersUi: { parameter: [{ name: 'dry', value: 'no' }] },
        headerParametersUi: { parameter: [{ name: 'X-Source', value: 'n8n' }] },
        bodyParametersUi: { parameter: [{ name: 'id', value: '={{ $json.body.id }}' }] },
        authentication: 'headerAuth',
      },
      { httpHeaderAuth: { id: '1', name: 'Orders key' } },
    );
    expect(request).toMatchObject({
      type: 'http.request',
      credential: 'Orders-key',
      params: {
        method: 'POST',
        url: 'https://api.example.test/orders',
        query: { dry: 'no' },
        headers: { 'X-Source': 'n8n' },
        body: '{"id": body.id}',
      },
    });
    expect(entry?.outcome).toBe('converted');
    expect(report.credentials).toEqual([
      {
        name: 'Orders-key',
        types: ['http-header'],
        sourceType: 'httpHeaderAuth',
        exportedName: 'Orders key',
        usedBy: ['Call'],
      },
    ]);
  });

  it('v1: JSON parameters, a form body, basic auth stripped from the export', () => {
    const { request, report } = convert(1, {
      requestMethod: 'PUT',
      url: 'https://api.example.test/x',
      jsonParameters: true,
      headerParametersJson: '{"Accept":"text/csv"}',
      bodyParametersJson: '{"a":"1","b":"2"}',
      options: { bodyContentType: 'form-urlencoded' },
      authentication: 'basicAuth',
    });
    expect(request).toMatchObject({
      credential: 'call-http-basic',
      params: {
        method: 'PUT',
        headers: { Accept: 'text/csv' },
        body: { form: { a: '1', b: '2' } },
      },
    });
    expect(report.credentials).toEqual([
      {
        name: 'call-http-basic',
        types: ['http-basic'],
        sourceType: 'httpBasicAuth',
        usedBy: ['Call'],
      },
    ]);
    expect(report.warnings).toContain(
      'create these credentials before enabling the flow: call-http-basic (http-basic)',
    );
  });

  it('v2: generic OAuth2 with the credential stripped still asks for one', () => {
    const { request, entry, report } = convert(2, {
      requestMethod: 'GET',
      url: 'https://api.example.test/me',
      authentication: 'genericCredentialType',
      genericAuthType: 'oAuth2Api',
    });
    expect(request.credential).toBe('call-oauth2-client');
    expect(entry?.notes).toContain(
      'needs the credential "call-oauth2-client" (oauth2-client): the export names no oAuth2Api credential (shared templates strip them)',
    );
    expect(report.credentials.map((item) => item.name)).toEqual(['call-oauth2-client']);
  });

  it('v3: raw body with its content type, JSON query', () => {
    const { request, entry } = convert(3, {
      method: 'POST',
      url: 'https://api.example.test/raw',
      sendQuery: true,
      specifyQuery: 'json',
      jsonQuery: '{"page":2}',
      sendBody: true,
      contentType: 'raw',
      rawContentType: 'text/csv',
      body: 'a,b\n1,2',
    });
    expect(request.params).toMatchObject({
      method: 'POST',
      query: { page: '2' },
      body: { template: 'a,b\n1,2', contentType: 'text/csv' },
    });
    expect(entry?.outcome).toBe('converted');
  });

  it('v4.2: JSON body, bearer auth, a predefined credential type is approximated', () => {
    const bearer = convert(
      4.2,
      {
        method: 'PATCH',
        url: 'https://api.example.test/p',
        authentication: 'genericCredentialType',
        genericAuthType: 'httpBearerAuth',
        sendBody: true,
        specifyBody: 'json',
        jsonBody: '={ "name": "{{ $json.body.name }}" }',
      },
      { httpBearerAuth: { id: '2', name: 'Bearer' } },
    );
    expect(bearer.request).toMatchObject({
      credential: 'Bearer',
      params: { method: 'PATCH', body: '{"name": $string(body.name)}' },
    });
    const github = convert(4.1, {
      method: 'GET',
      url: 'https://api.github.com/user',
      authentication: 'predefinedCredentialType',
      nodeCredentialType: 'githubApi',
    });
    expect(github.entry?.outcome).toBe('approximated');
    expect(github.report.credentials).toEqual([
      {
        name: 'call-http-bearer',
        types: ['http-bearer', 'http-header'],
        sourceType: 'githubApi',
        usedBy: ['Call'],
      },
    ]);
  });

  it('refuses to send unauthenticated what needs digest auth', () => {
    const { request, entry } = convert(4.2, {
      method: 'GET',
      url: 'https://api.example.test/d',
      authentication: 'genericCredentialType',
      genericAuthType: 'httpDigestAuth',
    });
    expect(request.type).toBe('unsupported');
    expect(entry).toMatchObject({ outcome: 'unsupported' });
    expect(entry?.notes[0]).toBe(
      'digest authentication has no Hookflow equivalent: the request would go out unauthenticated',
    );
  });
});
