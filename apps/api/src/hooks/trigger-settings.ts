import type { CompiledFlow } from '@hookflow/engine';
import { compileIpRules, type IpRules, type ParseBodyOptions } from '@hookflow/webhooks';
import type { TriggerAuth } from './trigger-auth';

/** The trigger node's parameters, as the intake reads them (defaults applied at compile). */
export interface TriggerSettings {
  respond: 'immediately' | 'when-finished';
  timeoutMs: number;
  methods: string[];
  ipAllow?: string[];
  maxBodyBytes?: number;
  rateLimit?: { requests: number; perSeconds: number };
  auth?: TriggerAuth;
  dedup: { mode: 'auto' | 'expression' | 'off'; expression?: string; windowHours: number };
  maxDepth?: number;
  maxKeysPerObject?: number;
  maxParts?: number;
  maxFileBytes?: number;
  maxAttachmentBytes?: number;
  xmlArrayElements?: string[];
}

export function triggerSettings(flow: CompiledFlow): TriggerSettings {
  return flow.nodes.get(flow.triggerId)?.params as unknown as TriggerSettings;
}

const bodyOptions = new WeakMap<CompiledFlow, ParseBodyOptions>();

/**
 * How a flow version's trigger parses bodies: its limits and XML array elements, once per
 * version. The JSON text as sent comes back too: the intake stores it instead of making copies.
 */
export function triggerBodyOptions(flow: CompiledFlow): ParseBodyOptions {
  let options = bodyOptions.get(flow);
  if (!options) {
    const settings = triggerSettings(flow);
    options = { keepSource: true };
    const limits = [
      'maxDepth',
      'maxKeysPerObject',
      'maxParts',
      'maxFileBytes',
      'maxAttachmentBytes',
    ] as const;
    for (const key of limits) {
      const value = settings[key];
      if (value !== undefined) options[key] = value;
    }
    if (settings.xmlArrayElements) options.xmlArrayElements = settings.xmlArrayElements;
    bodyOptions.set(flow, options);
  }
  return options;
}

const compiledRules = new WeakMap<CompiledFlow, IpRules | null>();

/** IP rules of a flow version's trigger, compiled once per version (null: everyone may post). */
export function triggerIpRules(
  flow: CompiledFlow,
  trustedProxies: readonly string[],
): IpRules | null {
  let rules = compiledRules.get(flow);
  if (rules === undefined) {
    const allow = triggerSettings(flow).ipAllow;
    if (!allow || allow.length === 0) {
      rules = null;
    } else {
      const compiled = compileIpRules({ allow, trustedProxies });
      // A bad CIDR is refused when the flow is saved; if one slips through, fail closed.
      rules = compiled.ok ? compiled.rules : compileIpRulesDenyAll(trustedProxies);
    }
    compiledRules.set(flow, rules);
  }
  return rules;
}

function compileIpRulesDenyAll(trustedProxies: readonly string[]): IpRules {
  const compiled = compileIpRules({ allow: ['255.255.255.255/32'], trustedProxies });
  if (!compiled.ok) throw new Error('deny-all IP rule does not compile');
  return compiled.rules;
}
