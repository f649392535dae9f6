import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@hookflow/common';
import { principalOf } from './principal';

/**
 * Kept so `@UseGuards(ApiKeyGuard)` on older controllers stays harmless: the global AuthGuard
 * has already authenticated and checked the scope. It only refuses if, somehow, it did not.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (principalOf(request)) return true;
    throw new AppError(401, 'unauthorized', 'missing Authorization header: use "Bearer <api key>"');
  }
}
