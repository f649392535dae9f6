import { QueryFailedError } from 'typeorm';
import { databaseUnavailableReason } from './database-unavailable';

function driverError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message ?? 'driver error')), fields);
}

describe('databaseUnavailableReason', () => {
  it.each([
    ['connection refused', driverError({ code: 'ECONNREFUSED' })],
    ['PostgreSQL shut down by the administrator', driverError({ code: '57P01' })],
    ['PostgreSQL starting up', driverError({ code: '57P03' })],
    ['too many connections', driverError({ code: '53300' })],
    ['statement timeout', driverError({ code: '57014' })],
    ['read-only standby', driverError({ code: '25006' })],
    ['lost connection', driverError({ message: 'Connection terminated unexpectedly' })],
    ['pool timeout', driverError({ message: 'timeout exceeded when trying to connect' })],
    ['SQLite full', driverError({ code: 'SQLITE_FULL' })],
    ['SQLite busy', driverError({ code: 'SQLITE_BUSY' })],
    ['SQLite read-only file', driverError({ code: 'SQLITE_READONLY_DBMOVED' })],
    ['SQLite I/O error', driverError({ code: 'SQLITE_IOERR_WRITE' })],
  ])('%s is an outage', (_name, error) => {
    expect(databaseUnavailableReason(error)).toBeDefined();
    // TypeORM wraps driver errors; the code is read through the wrapper.
    const wrapped = new QueryFailedError('INSERT ...', [], error);
    expect(databaseUnavailableReason(wrapped)).toBeDefined();
  });

  it.each([
    ['a unique violation', driverError({ code: '23505' })],
    ['a syntax error', driverError({ code: '42601' })],
    ['a SQLite constraint', driverError({ code: 'SQLITE_CONSTRAINT_UNIQUE' })],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not', (_name, error) => {
    expect(databaseUnavailableReason(error)).toBeUndefined();
  });
});
