import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** What a key or session may do: read < write < admin (each includes the ones before). */
export type Scope = 'read' | 'write' | 'admin';

/** Who is calling the management API; set by the auth guard on every authenticated request. */
export interface Principal {
  kind: 'api-key' | 'user' | 'local';
  /** Key id, user id, or `local` for the CLI's in-process calls. */
  id: string;
  /** Shown in version history and the audit log: a key's name or a user's email. */
  name: string;
  scopes: readonly Scope[];
  /** The user behind it: the signed-in user, or the user who created the key. */
  userId?: string;
}

type RequestWithPrincipal = FastifyRequest & { principal?: Principal };

export function principalOf(request: FastifyRequest): Principal | undefined {
  return (request as RequestWithPrincipal).principal;
}

export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  (request as RequestWithPrincipal).principal = principal;
}

/** `@CurrentPrincipal() who: Principal | undefined` in a controller method. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    principalOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
