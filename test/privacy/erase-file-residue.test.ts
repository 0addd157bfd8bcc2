/**
 * An erase on SQLite leaves no readable copy of the erased values in the database file: SQLite keeps
 * deleted rows' bytes in freed space unless `secure_delete` is on (docs/decisions.md, issue 12, red team).
 * The test erases a customer, copies every WAL frame into the files, and reads their raw bytes. The
 * request log's entries of the erased calls (their call ids, in the request log's own file) are gone too,
 * whether written before the erase or still queued.
 */
import { readFileSync } from 'node:fs';

import { requestLogPath } from '../../src/request-log/request-log-file';
import { createTestApp, type TestApp } from '../support/test-app';
import { keyClient } from './privacy-client';

const SECRET_NAME = 'Zebulon Quartermaine-Residue';
const SECRET_NOTE = 'Residue check note 7Q4X9W';

describe('an erase on a sqlite file', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('leaves none of the erased variable values in the database file’s bytes, nor their call ids in the request log’s file', async () => {
    const database = t.database;
    if (database.engine !== 'sqlite') throw new Error('SQLite only');
    const client = await keyClient(t);
    // Other customers share the pages, as in any real file.
    for (let i = 0; i < 5; i++) {
      await client.start({ call_id: `neighbour-${i}`, identity_hints: { ani: `41555503${10 + i}` } }).expect(200);
      await client.end({ call_id: `neighbour-${i}`, variables: { name: `Neighbour ${i}` } }).expect(200);
    }
    const ref = (await client.start({ call_id: 'residue-1', identity_hints: { ani: '4155550399' } }).expect(200)).body.customer_ref as string;
    await client.end({ call_id: 'residue-1', intent: 'refund_request', variables: { name: SECRET_NAME, last_summary: SECRET_NOTE } }).expect(200);
    await client.start({ call_id: 'residue-2', identity_hints: { ani: '4155550399' } }).expect(200);
    const connection = t.orm.em.getConnection();
    await t.requestLog.flush();
    const checkpoint = async () => {
      await connection.execute('pragma wal_checkpoint(TRUNCATE)');
      await connection.execute('pragma request_log.wal_checkpoint(TRUNCATE)');
    };
    await checkpoint();
    // The values are in the files before the erase (the check can see them)...
    const before = readFileSync(database.path);
    expect([before.includes(SECRET_NAME), before.includes('+14155550399'), before.includes('residue-1')]).toEqual([true, true, true]);
    const logBefore = readFileSync(requestLogPath(database.path));
    expect([logBefore.includes('residue-1'), logBefore.includes('residue-2')]).toEqual([true, true]);
    // An entry still queued when the erase comes.
    await client.end({ call_id: 'residue-2', variables: { last_summary: 'queued' } }).expect(200);
    await client.erase(ref).expect(200);
    await t.requestLog.flush();
    await checkpoint();
    // ...and nowhere in them after.
    const bytes = readFileSync(database.path);
    expect([bytes.includes(SECRET_NAME), bytes.includes(SECRET_NOTE), bytes.includes('+14155550399'), bytes.includes('residue-1')]).toEqual([false, false, false, false]);
    const log = readFileSync(requestLogPath(database.path));
    expect([log.includes('residue-1'), log.includes('residue-2')]).toEqual([false, false]);
  });
});
