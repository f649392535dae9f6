import { randomUUID } from 'node:crypto';
import type { ValidationError } from 'class-validator';
import { AppError, type ErrorBody, type ErrorDetail } from '@hookflow/common';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  500: 'internal',
  503: 'unavailable',
};

export function errorBody(
  status: number,
  message: string,
  details: ErrorDetail[] = [],
  code = CODE_BY_STATUS[status] ?? 'error',
): ErrorBody {
  return { error: { code, message, details } };
}

/** A database outage ends within seconds (a restart, a failover): senders retry after this. */
export const DATABASE_RETRY_AFTER_S = 5;

/** The answer while the database is unavailable: "try again later", never an internal error. */
export function databaseUnavailableBody(reason: string): ErrorBody {
  return errorBody(
    503,
    `the database is unavailable (${reason}); try again later`,
    [],
    'database_unavailable',
  );
}

/** A 500 never shows its cause; the id lets an operator find it in the logs. */
export function internalErrorBody(): ErrorBody & { error: { errorId: string } } {
  const errorId = randomUUID();
  return { error: { code: 'internal', message: 'internal error', details: [], errorId } };
}

/** Flattens class-validator's tree into JSON pointers (`/nodes/0/id`). */
export function validationDetails(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    const path = `${parent}/${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) {
      details.push({ path, message: message.replace(/^[\w.$]+ /, '') });
    }
    details.push(...validationDetails(error.children ?? [], path));
  }
  return details;
}

export function validationError(errors: ValidationError[]): AppError {
  const details = validationDetails(errors);
  return new AppError(
    400,
    'validation_failed',
    `request is invalid: ${details.length} problem${details.length === 1 ? '' : 's'}`,
    details,
  );
}
