import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { SampleItem } from '../api/types';
import { JsonViewer } from '../runs/json-viewer';

const POLL_MS = 1000;
const LISTEN_MS = 2 * 60 * 1000;

interface TestEventListenerProps {
  client: ApiClient;
  flowId: string;
  nodeId: string;
  onUseSample: (item: SampleItem) => void;
}

const latestFor = (items: SampleItem[], nodeId: string): SampleItem | undefined =>
  items
    .filter((item) => item.nodeId === nodeId)
    .sort((a, b) => b.capturedAt.localeCompare(a.capturedAt))[0];

/**
 * "Listen for a test event": polls `GET /api/flows/:id/sample` every second (at most two
 * minutes, stoppable) until a request newer than the one captured before listening arrives.
 */
export function TestEventListener({ client, flowId, nodeId, onUseSample }: TestEventListenerProps) {
  const [listening, setListening] = useState(false);
  const [captured, setCaptured] = useState<SampleItem>();
  const [status, setStatus] = useState<string>();
  const abort = useRef<AbortController | undefined>(undefined);

  const stop = useCallback(() => {
    abort.current?.abort();
    abort.current = undefined;
    setListening(false);
  }, []);
  useEffect(() => stop, [stop, flowId, nodeId]);

  const fetchLatest = useCallback(
    async () =>
      latestFor(
        (await client.request<{ items: SampleItem[] }>('GET', `/api/flows/${flowId}/sample`)).items,
        nodeId,
      ),
    [client, flowId, nodeId],
  );

  const listen = async () => {
    stop();
    const controller = new AbortController();
    abort.current = controller;
    setListening(true);
    setStatus(undefined);
    const deadline = Date.now() + LISTEN_MS;
    try {
      const before = (await fetchLatest())?.capturedAt ?? '';
      if (controller.signal.aborted) return;
      setStatus('Listening: send a request to the test URL…');
      while (!controller.signal.aborted && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (controller.signal.aborted) return;
        const latest = await fetchLatest();
        if (latest && latest.capturedAt > before) {
          if (controller.signal.aborted) return;
          setCaptured(latest);
          setStatus(`Captured ${new Date(latest.capturedAt).toLocaleString()}`);
          return;
        }
      }
      if (!controller.signal.aborted) setStatus('Stopped listening: nothing arrived in 2 minutes.');
    } catch (error) {
      if (!controller.signal.aborted)
        setStatus(`Listening failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (abort.current === controller) {
        abort.current = undefined;
        setListening(false);
      }
    }
  };

  return (
    <section className="test-event" aria-label="Test event">
      {listening ? (
        <button
          type="button"
          onClick={() => {
            stop();
            setStatus('Stopped listening.');
          }}
        >
          Stop listening
        </button>
      ) : (
        <button type="button" onClick={() => void listen()}>
          Listen for a test event
        </button>
      )}
      {status && (
        <p className="hint" role="status" aria-label="Listening status">
          {status}
        </p>
      )}
      {captured && (
        <div className="captured-event" aria-label="Captured test event">
          <p>
            <strong>{captured.request.method}</strong>
          </p>
          <h4>Headers</h4>
          <JsonViewer value={captured.request.headers} label="Captured headers" />
          <h4>Body</h4>
          <JsonViewer value={captured.request.body} label="Captured body" />
          <button type="button" onClick={() => onUseSample(captured)}>
            Use as preview sample
          </button>
        </div>
      )}
    </section>
  );
}
