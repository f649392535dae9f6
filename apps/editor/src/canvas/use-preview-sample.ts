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
    setText(JSON.stringify(latest.request.body, null, 2));
    setTrigger(latest.request as unknown as JsonValue);
    setStatus(`Captured ${new Date(latest.capturedAt).toLocaleString()}`);
  }, [client, flowId]);

  return { text, edit, preview, status, loadCaptured: flowId ? loadCaptured : undefined };
}
