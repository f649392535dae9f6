import type { ApiClient } from '../api/client';
import type { SampleItem, TriggerView } from '../api/types';
import { CopyButton } from './copy-button';
import { TestEventListener } from './test-event-listener';

/** What the trigger panel needs to listen for a test event. */
export interface TestEventSource {
  client: ApiClient;
  flowId: string;
  onUseSample: (item: SampleItem) => void;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1|0\.0\.0\.0)$/i;

/** Whether a URL's host (or a bare hostname) is this machine only. */
export function isLoopbackHost(urlOrHost: string): boolean {
  let host = urlOrHost;
  try {
    host = new URL(urlOrHost).hostname;
  } catch {
    // Already a bare hostname (location.hostname).
  }
  return LOOPBACK_HOST.test(host) || host.endsWith('.localhost');
}

/**
 * Shown when the hook URLs point at this machine but the editor was opened at another address:
 * a sender elsewhere (Stripe, GitHub) cannot reach a localhost URL.
 */
function LoopbackUrlWarning({ url }: { url: string }) {
  if (!isLoopbackHost(url) || isLoopbackHost(window.location.hostname)) return null;
  const origin = new URL(url).origin;
  return (
    <div className="url-warning" role="alert" aria-label="Public URL warning">
      <strong>Senders cannot reach {origin}.</strong> These URLs come from{' '}
      <code>HOOKFLOW_PUBLIC_URL</code>, which is a loopback address, but you opened the editor at{' '}
      <code>{window.location.origin}</code>. Set <code>HOOKFLOW_PUBLIC_URL</code> to the address
      senders use (for example <code>HOOKFLOW_PUBLIC_URL={window.location.origin}</code>) and
      restart Hookflow; see docs/configuration.md.
    </div>
  );
}

/** The trigger's URLs: production (runs when the flow is enabled) and test (captures samples). */
export function TriggerPanel({
  trigger,
  testEvents,
}: {
  trigger: TriggerView | undefined;
  testEvents?: TestEventSource;
}) {
  if (!trigger) {
    return <p className="hint">Save the flow to get this trigger's URLs.</p>;
  }
  const testUrl = trigger.testUrl;
  return (
    <section className="trigger-urls" aria-label="Trigger URLs">
      <LoopbackUrlWarning url={trigger.url} />
      <div className="field">
        <label htmlFor="production-url">Production URL</label>
        <div className="row">
          <input id="production-url" readOnly value={trigger.url} className="code" />
          <CopyButton text={trigger.url} label="Copy production URL" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="test-url">
          Test URL (runs even when disabled; keeps the request as sample)
        </label>
        <div className="row">
          <input id="test-url" readOnly value={testUrl} className="code" />
          <CopyButton text={testUrl} label="Copy test URL" />
        </div>
      </div>
      {testEvents && (
        <TestEventListener
          client={testEvents.client}
          flowId={testEvents.flowId}
          nodeId={trigger.nodeId}
          onUseSample={testEvents.onUseSample}
        />
      )}
    </section>
  );
}
