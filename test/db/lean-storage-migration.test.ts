/**
 * The lean-storage migration (issue 12) on a database that already holds calls: request fingerprints are
 * cut to 128 bits and the intent and variable uniques lead with the customer; every row stays, and a call
 * recorded before it still replays its start and its end.
 */
import { initOrm } from '../../src/db/orm';
import { sqlOf } from '../../src/db/sql';
import { sqliteMigrations } from '../../src/db/migrations/sqlite';
import { postgresqlMigrations } from '../../src/db/migrations/postgresql';
import { Environment } from '../../src/tenancy/environment';
import { SEEDED_VARIABLE_TTL_SECONDS, seededAni } from '../../scripts/seed/seed-rows';
import { seedPostgres, seedSqlite } from '../../scripts/seed/seed-writers';
import { ENGINES, createScratchDatabase } from '../support/scratch-database';
import { seededServices } from '../seed/seeded-service';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const ORG = '55555555-5555-4555-8555-555555555555';
const CUSTOMERS = 12;

describe.each(ENGINES)('the lean-storage migration on %s', (engine) => {
  it('keeps every row and the replays of calls recorded before it', async () => {
    const migrations = engine === 'sqlite' ? sqliteMigrations : postgresqlMigrations;
    const before = migrations[migrations.findIndex((m) => m.name.endsWith('_lean_storage')) - 1]!.name;
    const scratch = await createScratchDatabase(engine);
    const orm = await initOrm(scratch.config, { migrate: false });
    try {
      await orm.migrator.up({ to: before });
      const sql = sqlOf(orm.em.fork());
      await sql.run("insert into organisations (id, slug, name, created_at) values (?, 'lean', 'Lean', ?)", [ORG, sql.dialect.date(NOW)]);
      const plan = { organisationId: ORG, environment: Environment.PROD, total: CUSTOMERS, now: NOW, snapshotHours: 24 * 365 };
      if (scratch.config.engine === 'sqlite') await seedSqlite(orm, plan, 0, CUSTOMERS, () => {});
      else await seedPostgres(scratch.config.url, plan, 0, CUSTOMERS, () => {});
      // Fingerprints as the service stored them before: the whole SHA-256 digest, of which the new ones are the first half.
      await sql.run(`update calls set start_fingerprint = start_fingerprint || '${'ab'.repeat(16)}', end_fingerprint = end_fingerprint || '${'cd'.repeat(16)}'`);
      const rowsOf = async () => ({
        calls: await sql.all('select id, call_id, customer_id, started_at, start_snapshot is not null as kept from calls order by id'),
        intents: await sql.all('select id, customer_id, name, attempt_count from intents order by id'),
        variables: await sql.all('select id, customer_id, name, value from variables order by id'),
        customers: await sql.all('select id, ref, call_count from customers order by id'),
      });
      const beforeRows = await rowsOf();

      await orm.migrator.up();

      expect(await rowsOf()).toEqual(beforeRows);
      const lengths = await sql.all<{ s: number; e: number }>('select distinct length(start_fingerprint) as s, length(end_fingerprint) as e from calls');
      expect(lengths.map((l) => [Number(l.s), Number(l.e)])).toEqual([[32, 32]]);
      // The uniques now lead with the customer: a second intent of the same name for a customer is refused.
      const intent = (await sql.one<{ customer_id: string }>('select customer_id from intents'))!;
      await expect(
        sql.run("insert into intents (id, organisation_id, environment, customer_id, name, status, attempt_count, created_at, updated_at) values (?, ?, 'prod', ?, 'refund_request', 'open', 1, ?, ?)", [
          '99999999-9999-4999-8999-999999999999',
          ORG,
          intent.customer_id,
          sql.dialect.date(NOW),
          sql.dialect.date(NOW),
        ]),
      ).rejects.toThrow();

      const { services, ctx } = seededServices(orm, { organisationId: ORG, environment: Environment.PROD }, NOW);
      const i = 5;
      const last = (await sql.one<{ call_id: string }>(
        'select call_id from calls where customer_id = (select customer_id from phone_identities where e164 = ?) order by started_at desc',
        [seededAni(i)],
      ))!;
      const replay = await services.calls.start(ctx(), { callId: last.call_id, hints: { ani: seededAni(i) } });
      expect(replay).toMatchObject({ replayed: true, callCount: 2 });
      expect(replay.variables.map((v) => [v.name, v.value])).toEqual([
        ['name', `Caller ${i}`],
        ['tier', 'bronze'],
      ]);
      const end = await services.calls.end(ctx(), {
        callId: last.call_id,
        intent: 'refund_request',
        variables: [
          { name: 'name', value: `Caller ${i}`, ttlSeconds: SEEDED_VARIABLE_TTL_SECONDS },
          { name: 'tier', value: 'bronze', ttlSeconds: SEEDED_VARIABLE_TTL_SECONDS },
        ],
      });
      expect(end).toMatchObject({ replayed: true, intentsUpdated: 1, variablesUpdated: 2 });
    } finally {
      await orm.close(true);
      await scratch.drop();
    }
  });
});
