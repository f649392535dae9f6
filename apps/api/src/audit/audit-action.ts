import type { AuditSummary } from '@hookflow/store';

/** Resources whose changes are audited, by the path segment after /api/. */
const TARGET_TYPES: Record<string, string> = {
  flows: 'flow',
  credentials: 'credential',
  keys: 'key',
  users: 'user',
};

export interface DerivedAction {
  action: string;
  targetType: string;
}

/**
 * `PUT /api/flows/:id` -> `flow.update`; `POST /api/flows/:id/enable` -> `flow.enable`;
 * `DELETE /api/keys/:id` -> `key.revoke`. Undefined for routes that are not audited.
 */
export function deriveAction(method: string, routeUrl: string): DerivedAction | undefined {
  const segments = routeUrl.split('/').filter((segment) => segment !== '');
  if (segments[0] !== 'api') return undefined;
  const targetType = TARGET_TYPES[segments[1] ?? ''];
  if (!targetType) return undefined;
  const words = segments.slice(2).filter((segment) => !segment.startsWith(':'));
  if (words.length > 0) return { action: `${targetType}.${words.join('.')}`, targetType };
  const verb =
    method === 'POST'
      ? 'create'
      : method === 'DELETE'
        ? targetType === 'key'
          ? 'revoke'
          : 'delete'
        : 'update';
  return { action: `${targetType}.${verb}`, targetType };
}

/** The only answer fields an audit entry copies: names and kinds, never values or keys. */
const SAFE_FIELDS = ['name', 'type', 'enabled', 'version', 'scopes', 'email', 'role', 'prefix'];

export function summarize(answer: unknown): AuditSummary {
  const summary: AuditSummary = {};
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return summary;
  const record = answer as Record<string, unknown>;
  for (const field of SAFE_FIELDS) {
    const value = record[field];
    if (typeof value === 'string') summary[field] = value.slice(0, 200);
    else if (typeof value === 'number' || typeof value === 'boolean') summary[field] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      summary[field] = value.slice(0, 10);
    }
  }
  return summary;
}

/** The target's id: the route's `:id`, else the id of what was created. */
export function targetIdOf(params: unknown, answer: unknown): string | null {
  const fromParams = (params as Record<string, unknown> | undefined)?.id;
  if (typeof fromParams === 'string') return fromParams;
  const fromAnswer = (answer as Record<string, unknown> | null | undefined)?.id;
  return typeof fromAnswer === 'string' ? fromAnswer : null;
}
