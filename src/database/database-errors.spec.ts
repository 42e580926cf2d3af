import { isDatabaseConflict, isDatabaseUnavailable, isDataError, isTransientDatabaseError } from './database-errors.js';

const sqlError = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('database error classes', () => {
  it.each([
    ['22003', 'numeric_value_out_of_range'],
    ['22P02', 'invalid_text_representation'],
    ['22P05', 'untranslatable_character'],
    ['22021', 'character_not_in_repertoire'],
    ['23502', 'not_null_violation'],
    ['23514', 'check_violation (also: no partition for the row)'],
    ['42804', 'datatype_mismatch'],
    ['54000', 'program_limit_exceeded'],
    ['P2020', 'Prisma: value out of range'],
  ])('%s (%s) is a data error, neither transient nor unavailable', (code) => {
    expect([isDataError(sqlError(code)), isTransientDatabaseError(sqlError(code)), isDatabaseUnavailable(sqlError(code))]).toEqual([true, false, false]);
  });

  it.each([
    ['40001', 'serialization_failure', true],
    ['40P01', 'deadlock_detected', true],
    ['55P03', 'lock_not_available', true],
    ['P2034', 'Prisma: write conflict or deadlock', true],
    ['57014', 'query_canceled', false],
    ['53300', 'too_many_connections', false],
  ])('%s (%s) is transient, not a data error (a conflict to retry at once: %s)', (code, _name, conflict) => {
    expect([isTransientDatabaseError(sqlError(code)), isDatabaseConflict(sqlError(code)), isDataError(sqlError(code))]).toEqual([true, conflict, false]);
  });

  it.each([['57P01'], ['08006'], ['ECONNREFUSED']])('%s means unavailable, not a data error', (code) => {
    expect([isDatabaseUnavailable(sqlError(code)), isDataError(sqlError(code))]).toEqual([true, false]);
  });

  it('looks through causes (driver adapters wrap the PostgreSQL error)', () => {
    const wrapped = new Error('Transaction failed', { cause: { kind: 'postgres', code: '40P01', message: 'deadlock detected' } });
    expect(isTransientDatabaseError(wrapped)).toBe(true);
    expect(isDataError(new Error('outer', { cause: sqlError('22003') }))).toBe(true);
  });

  it.each([
    ['no code', new Error('boom')],
    ['42P01 undefined_table', sqlError('42P01')],
    ['XX000 internal_error', sqlError('XX000')],
    ['not an error', 'text'],
    ['null', null],
  ])('%s is none of them', (_name, error) => {
    expect([isDataError(error), isTransientDatabaseError(error), isDatabaseUnavailable(error)]).toEqual([false, false, false]);
  });
});
