import { HttpException } from '@nestjs/common';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** The one error body Hookflow answers with, everywhere. */
export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[]; errorId?: string };
}

/** An expected failure with an HTTP status, a stable code and, where known, paths. */
export class AppError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super({ error: { code, message, details } } satisfies ErrorBody, status);
    // HttpException derives `message` from the class name for object bodies ("App Error");
    // logs and callers that wrap this error want the human sentence.
    this.message = message;
  }
}

export const notFound = (what: string): AppError =>
  new AppError(404, 'not_found', `${what} not found`);
