import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@hookflow/common';
import { Authenticator } from './authenticator';
import { principalOf, setPrincipal, type Scope } from './principal';
import { hasScope, IS_PUBLIC, OPEN_ROUTES, REQUIRED_SCOPE, scopeForMethod } from './scopes';

export const missingCredentials = () =>
  new AppError(
    401,
    'unauthorized',
    'missing Authorization header: use "Bearer <api key>", or sign in',
  );

/**
 * The one guard in front of every Nest route (APP_GUARD): authenticates by API key or session
 * cookie, then checks the scope: `@RequireScope()` if present, else read for GET/HEAD and write
 * for everything else. `@Public()` routes pass untouched. Routes added later are covered without
 * doing anything.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true ||
      OPEN_ROUTES.has(request.routeOptions.url ?? '')
    ) {
      return true;
    }
    const principal = principalOf(request) ?? (await this.authenticator.authenticate(request));
    if (!principal) throw missingCredentials();
    const needed =
      this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, targets) ??
      scopeForMethod(request.method);
    if (!hasScope(principal.scopes, needed)) {
      const who = principal.kind === 'user' ? 'account' : 'key';
      throw new AppError(403, 'forbidden', `this ${who} lacks the "${needed}" scope`, [
        { path: '', message: `needs scope "${needed}"; has ${principal.scopes.join(', ')}` },
      ]);
    }
    setPrincipal(request, principal);
    return true;
  }
}
