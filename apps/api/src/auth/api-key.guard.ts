import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@hookflow/common';
import { ApiKeysService } from './api-keys.service';
import { setPrincipal } from './principal';

/** `Authorization: Bearer <api key>` on every management route. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (!header) {
      throw new AppError(
        401,
        'unauthorized',
        'missing Authorization header: use "Bearer <api key>"',
      );
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new AppError(401, 'unauthorized', 'Authorization header must be "Bearer <api key>"');
    }
    const principal = await this.keys.principalFor(match[1]);
    if (!principal) throw new AppError(401, 'unauthorized', 'API key is not valid');
    setPrincipal(request, principal);
    return true;
  }
}
