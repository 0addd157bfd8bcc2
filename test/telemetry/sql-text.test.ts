/** The SQL text a trace shows: quoted values written into a statement are replaced, its shape is kept. */
import { withoutLiterals } from '../../src/telemetry/sql-text';

describe('SQL text in traces', () => {
  it('replaces the values the ORM writes into a statement with ?', () => {
    expect(withoutLiterals(`select * from phone_identities where e164 = '+14155550123' and environment = 'prod' limit 1`)).toBe(
      'select * from phone_identities where e164 = ? and environment = ? limit 1',
    );
  });

  it('keeps placeholders, identifiers in double quotes and numbers', () => {
    const sql = 'select "o0".* from "organisations" as "o0" where "o0"."id" = $1 limit 1';
    expect(withoutLiterals(sql)).toBe(sql);
  });

  it('takes a doubled quote as part of the value', () => {
    expect(withoutLiterals(`insert into variables (value) values ('O''Brien, 4155550123')`)).toBe('insert into variables (value) values (?)');
  });

  it('ends a standard string at its quote even after a backslash, and an E string only at an unescaped quote', () => {
    expect(withoutLiterals(`select 'C:\\' , '+14155550123'`)).toBe('select ? , ?');
    expect(withoutLiterals(`select E'it\\'s 4155550123', 1`)).toBe('select ?, 1');
  });
});
