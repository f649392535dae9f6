import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { ErrorBody } from '@hookflow/common';
import type { DatabaseOutage } from '@hookflow/store';
import {
  DATABASE_RETRY_AFTER_S,
  databaseUnavailableBody,
  errorBody,
  internalErrorBody,
} from './error-body';

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    typeof (value as { error: unknown }).error === 'object'
  );
}

/** Every error leaves as `{ error: { code, message, details } }`; no stack trace ever does. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly outage?: DatabaseOutage,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (isErrorBody(response)) {
        void reply.status(status).send(response);
        return;
      }
      const message =
        typeof response === 'string'
          ? response
          : typeof (response as { message?: unknown }).message === 'string'
            ? (response as { message: string }).message
            : exception.message;
      void reply.status(status).send(errorBody(status, message));
      return;
    }
    // A database outage is "try again later" (logged once per outage), not an internal error.
    const unavailable = this.outage?.observe(exception);
    if (unavailable !== undefined) {
      void reply
        .status(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_S))
        .send(databaseUnavailableBody(unavailable));
      return;
    }
    const body = internalErrorBody();
    this.logger.error({ err: exception, errorId: body.error.errorId }, 'unhandled error');
    void reply.status(500).send(body);
  }
}
