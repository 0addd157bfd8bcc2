/** The metrics migration fills in each existing call's previous call, so repeat calls recorded before it count. */
import { sqlOf } from '../../src/db/sql';
import { initOrm } from '../../src/db/orm';
import { sqliteMigrations } from '../../src/db/migrations/sqlite';
import { ENGINES, createScratchDatabase } from '../support/scratch-database';

const BEFORE = sqliteMigrations.findIndex((m) => m.name.endsWith('_metrics')) - 1;
const ORG = '44444444-4444-4444-8444-444444444444';
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe.each(ENGINES)('the metrics migration on %s', (engine) => {
  it('sets previous_call_at of existing calls to their customer’s previous call start', async () => {
    const scratch = await createScratchDatabase(engine);
    const orm = await initOrm(scratch.config, { migrate: false });
    try {
      await orm.migrator.up({ to: sqliteMigrations[BEFORE]!.name });
      const sql = sqlOf(orm.em.fork());
      const d = sql.dialect;
      const at = (iso: string) => d.date(new Date(iso));
      for (const [customer, ref] of [[A, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'], [B, 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb']]) {
        await sql.run(
          'insert into customers (id, organisation_id, environment, ref, provisional, call_count, created_at, updated_at) values (?, ?, ?, ?, ?, 0, ?, ?)',
          [customer, ORG, 'test', ref, d.bool(false), at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z')],
        );
      }
      const call = (callId: string, customer: string, startedAt: string) =>
        sql.run(
          "insert into calls (id, organisation_id, environment, call_id, customer_id, started_at, sources, variables_written) values (?, ?, 'test', ?, ?, ?, '[]', '[]')",
          [`0000000${callId}-0000-4000-8000-000000000000`, ORG, callId, customer, at(startedAt)],
        );
      await call('1', A, '2026-01-02T10:00:00Z');
      await call('2', A, '2026-01-05T10:00:00Z');
      await call('3', A, '2026-01-03T10:00:00Z'); // recorded out of order
      await call('4', B, '2026-01-04T10:00:00Z');
      await orm.migrator.up();
      const rows = await sql.all<{ call_id: string; previous_call_at: unknown }>('select call_id, previous_call_at from calls order by call_id');
      expect(rows.map((r) => [r.call_id, r.previous_call_at == null ? null : d.toDate(r.previous_call_at).toISOString()])).toEqual([
        ['1', null],
        ['2', '2026-01-03T10:00:00.000Z'],
        ['3', '2026-01-02T10:00:00.000Z'],
        ['4', null],
      ]);
    } finally {
      await orm.close(true);
      await scratch.drop();
    }
  });
});
