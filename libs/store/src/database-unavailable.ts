/**
 * Tells a database that cannot be reached or used right now (an outage: "try again later") from
 * an error in the request or the code. Only the first deserves a 503 with Retry-After.
 */

/** Node socket errors: the server is down, restarting or unreachable. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of an unusable server: class 08 (connection exception), 53 (insufficient
 * resources: disk full, out of memory, too many connections), 57P01–57P03 (shut down by the
 * administrator, crash, cannot connect now), 57014 (statement timeout), 25006 (read-only: a
 * standby after a failover), 58030 (I/O error).
 */
function isPostgresOutage(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '57014' ||
    code === '25006' ||
    code === '58030'
  );
}

/** SQLite result codes of a file that cannot be written now (locked, full, read-only, I/O). */
const SQLITE_PREFIXES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
];

/** node-postgres and its pool say these without a code. */
const POSTGRES_CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Query read timeout',
  'connection timeout',
  // 55000 has other meanings; with this text it is a database closed to connections.
  'is not currently accepting connections',
];

function codesOf(error: object): string[] {
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  return [code, driverError?.code].filter((value): value is string => typeof value === 'string');
}

function messagesOf(error: object): string[] {
  const { message, driverError } = error as {
    message?: unknown;
    driverError?: { message?: unknown };
  };
  return [message, driverError?.message].filter(
    (value): value is string => typeof value === 'string',
  );
}

/** Why the database is unavailable, in a few words, or undefined when this error is not that. */
export function databaseUnavailableReason(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  for (const code of codesOf(error)) {
    if (SOCKET_CODES.has(code)) return `cannot reach the database (${code})`;
    if (code === '57014') return 'a statement timed out';
    if (/^[0-9A-Z]{5}$/.test(code) && isPostgresOutage(code)) {
      return `the database cannot serve requests (SQLSTATE ${code})`;
    }
    if (SQLITE_PREFIXES.some((prefix) => code.startsWith(prefix))) {
      return `the database file cannot be written (${code})`;
    }
  }
  for (const message of messagesOf(error)) {
    if (POSTGRES_CLIENT_MESSAGES.some((known) => message.includes(known))) {
      return 'the database connection was lost';
    }
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error ? databaseUnavailableReason(cause) : undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailableReason(error) !== undefined;
}
