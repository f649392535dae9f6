import { isEditorPath } from './register-editor';

describe('isEditorPath', () => {
  it('leaves the API, hooks and health to the server', () => {
    for (const url of ['/api/flows', '/api', '/hooks/abc', '/hooks-test/abc', '/health?x=1']) {
      expect(isEditorPath(url)).toBe(false);
    }
  });

  it('answers editor pages with the editor', () => {
    for (const url of ['/flows/123', '/sign-in', '/apiary', '/hooksmith']) {
      expect(isEditorPath(url)).toBe(true);
    }
  });
});
