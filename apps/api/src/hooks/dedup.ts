import { sha256Hex } from '@hookflow/common';
import type { CompiledFlow, TriggerData } from '@hookflow/engine';
import type { DedupKey } from '@hookflow/store';
import { autoDedupKey } from '@hookflow/webhooks';
import { triggerSettings } from './trigger-settings';

/**
 * The dedup key of a delivery per its trigger's settings, with its expiry; undefined when the
 * delivery has none (it always runs); 'invalid' when the trigger's key expression failed on it.
 */
export async function dedupKeyOf(
  flow: CompiledFlow,
  trigger: TriggerData,
  receivedAt: Date,
): Promise<DedupKey | undefined | 'invalid'> {
  const settings = triggerSettings(flow).dedup;
  if (settings.mode === 'off') return undefined;
  let key: string | undefined;
  if (settings.mode === 'expression' && settings.expression) {
    try {
      const request = {
        method: trigger.method,
        headers: trigger.headers,
        query: trigger.query,
        body: trigger.body,
      };
      const value = await flow.expressions
        .jsonata(settings.expression)
        .evaluate(request, { trigger, nodes: {}, execution: {} });
      if (value !== null && value !== '') {
        key = `expr:${typeof value === 'string' ? value : JSON.stringify(value)}`;
      }
    } catch {
      return 'invalid';
    }
  } else {
    key = autoDedupKey(trigger.headers, trigger.body);
  }
  if (key === undefined) return undefined;
  // Keys are bounded in the table; long ones are hashed (still unique in practice).
  return {
    key: key.length <= 255 ? key : `sha256:${sha256Hex(key)}`,
    expiresAt: new Date(receivedAt.getTime() + settings.windowHours * 3_600_000),
  };
}
