/** True when a write failed on a unique or primary key (PostgreSQL 23505, SQLite CONSTRAINT). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  const codes = [code, driverError?.code].filter((value) => typeof value === 'string');
  return codes.some((value) => value === '23505' || String(value).startsWith('SQLITE_CONSTRAINT'));
}
