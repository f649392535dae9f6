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
