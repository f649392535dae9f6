import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { mergeMap, type Observable } from 'rxjs';
import { LOGGER } from '@hookflow/common';
import { principalOf } from '../auth/principal';
import { deriveAction, summarize, targetIdOf } from './audit-action';
import { AuditService } from './audit.service';
import { AUDITED, auditSummaryOf, type AuditedOptions } from './audited.decorator';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records every successful change to flows, credentials, keys and users (APP_INTERCEPTOR). The
 * summary is built from a short list of safe answer fields, never from the request body, so
 * credential values and keys cannot reach the log. The entry is written before the answer
 * leaves, so a client that reads the log right after sees its change.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (READ_METHODS.has(request.method)) return next.handle();
    const action =
      this.reflector.get<AuditedOptions | undefined>(AUDITED, context.getHandler()) ??
      deriveAction(request.method, request.routeOptions.url ?? '');
    if (!action) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      mergeMap(async (answer: unknown) => {
        if (reply.statusCode < 400) await this.write(request, action, answer);
        return answer;
      }),
    );
  }

  private async write(
    request: FastifyRequest,
    action: AuditedOptions,
    answer: unknown,
  ): Promise<void> {
    try {
      await this.audit.record({
        actor: principalOf(request),
        action: action.action,
        targetType: action.targetType,
        targetId: targetIdOf(request.params, answer),
        summary: { ...summarize(answer), ...auditSummaryOf(request) },
      });
    } catch (error) {
      // The change is done; refusing now would lie about it. Loud in the logs instead.
      this.logger.error({ err: error, action: action.action }, 'could not write the audit entry');
    }
  }
}
