/**
 * Exit codes scripts can rely on:
 * 0 done; 1 the server or database refused or failed; 2 bad arguments (usage printed);
 * 3 the thing named does not exist; 4 a conflict (stale version, already exists).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, conflict: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports in one line (no stack trace) with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad arguments: the command's usage is printed after the message. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}
