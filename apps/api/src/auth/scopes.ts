import { SetMetadata, applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExtension } from '@nestjs/swagger';
import type { Scope } from './principal';

export const REQUIRED_SCOPE = 'hookflow:required-scope';
export const IS_PUBLIC = 'hookflow:public';
/** The same mark in Fastify's route config, for hooks that run before Nest (method-level only). */
export const PUBLIC_ROUTE_CONFIG = 'hookflowPublic';

const RANK: Record<Scope, number> = { read: 1, write: 2, admin: 3 };

/** admin implies write implies read. */
export function hasScope(granted: readonly Scope[], needed: Scope): boolean {
  return granted.some((scope) => RANK[scope] >= RANK[needed]);
}

/** The default: reading needs `read`, anything that may change state needs `write`. */
export function scopeForMethod(method: string): Scope {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write';
}

/** Every scope a granted list implies, in order (what a principal may do, spelled out). */
export function expandScopes(granted: readonly Scope[]): Scope[] {
  return (['read', 'write', 'admin'] as const).filter((scope) => hasScope(granted, scope));
}

/**
 * A stronger scope than the method implies (`@RequireScope('admin')` on keys, users, audit).
 * Also written into the OpenAPI document as `x-hookflow-scope`.
 */
export const RequireScope = (scope: Scope) =>
  applyDecorators(SetMetadata(REQUIRED_SCOPE, scope), ApiExtension('x-hookflow-scope', { scope }));

/**
 * No credentials needed (health, setup, sign-in, the flow JSON Schema). Marked in the OpenAPI
 * document as `x-hookflow-public`, which the scope tests read.
 */
export const Public = () =>
  applyDecorators(
    SetMetadata(IS_PUBLIC, true),
    RouteConfig({ [PUBLIC_ROUTE_CONFIG]: true }),
    ApiExtension('x-hookflow-public', { public: true }),
  );

/**
 * Routes open without a decorator because their controllers belong to other features: the
 * liveness probe and the published flow JSON Schema. Exact route patterns.
 */
export const OPEN_ROUTES: ReadonlySet<string> = new Set(['/health', '/api/schema/flow.json']);
