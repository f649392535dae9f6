import { useCallback, useMemo, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { JsonValue, SampleItem } from '../api/types';
import type { PreviewContext } from '../panel/jsonata-preview';

/** The sample message for previews: pasted JSON, or the body the test URL captured last. */
export function usePreviewSample(client: ApiClient, flowId: string | undefined) {
  const [text, setText] = useState('{}');
  const [trigger, setTrigger] = useState<JsonValue>();
  const [status, setStatus] = useState<string>();

  const preview = useMemo((): PreviewContext | undefined => {
    try {
      const message = JSON.parse(text) as JsonValue;
      return { message, trigger: trigger ?? { body: message, headers: {}, query: {} } };
    } catch {
      return undefined;
    }
  }, [text, trigger]);

  const edit = useCallback((next: string) => {
    setText(next);
    setTrigger(undefined);
    try {
      JSON.parse(next);
      setStatus(undefined);
    } catch (error) {
      setStatus(`Sample is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, []);

  /** Makes a captured request the preview sample (its body as message, all of it as trigger). */
  const use = useCallback((item: SampleItem) => {
    setText(JSON.stringify(item.request.body, null, 2));
    setTrigger(item.request as unknown as JsonValue);
    setStatus(`Captured ${new Date(item.capturedAt).toLocaleString()}`);
  }, []);

  const loadCaptured = useCallback(async () => {
    if (!flowId) return;
    const samples = await client.request<{ items: SampleItem[] }>(
      'GET',
      `/api/flows/${flowId}/sample`,
    );
    const latest = samples.items[0];
    if (!latest) {
      setStatus('Nothing captured yet: post a request to the test URL.');
      return;
    }
    use(latest);
  }, [client, flowId, use]);

  return { text, edit, preview, status, use, loadCaptured: flowId ? loadCaptured : undefined };
}
