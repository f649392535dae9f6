export type ExpressionErrorCode =
  | 'expression_syntax'
  | 'expression_timeout'
  | 'expression_depth'
  | 'expression_too_large'
  | 'expression_failed';

/** An expression or template that did not compile or did not finish, with a code for the user. */
export class ExpressionError extends Error {
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}
