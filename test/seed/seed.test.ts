/**
 * `npm run seed`: bulk-written customers in issue 12's scale shape, through the migrated schema, that the
 * service then recognises and replays like the ones it recorded itself.
 */
import { initOrm } from '../../src/db/orm';
import { sqlOf } from '../../src/db/sql';
import { hintsFingerprint, fingerprint } from '../../src/identity/identity-hints';
import { IntentStatus } from '../../src/intents/intent-status';
import { readAni } from '../../src/identity/phone-number';
import { generateApiKey, hashApiKey } from '../../src/tenancy/api-key-format';
import { Environment } from '../../src/tenancy/environment';
import { seed } from '../../scripts/seed/seed';
import { SEEDED_VARIABLE_TTL_SECONDS, seedEndPrint, seededAni, seedStartPrint } from '../../scripts/seed/seed-rows';
import { createScratchDatabase, ENGINES } from '../support/scratch-database';
import { testConfig } from '../support/test-app';
import { seededServices } from './seeded-service';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const CUSTOMERS = 40;

describe('seeded rows', () => {
  it('gives every seeded customer a distinct, valid US number in E.164', () => {
    const numbers = Array.from({ length: 200_000 }, (_, i) => seededAni(i));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers.slice(0, 500)) expect(readAni(n, 'US')).toEqual({ kind: 'number', raw: n, e164: n });
  });

  it('writes the fingerprints the service computes for the same start and end', () => {
    const e164 = seededAni(3);
    expect(seedStartPrint(e164)).toBe(hintsFingerprint({ ani: { kind: 'number', raw: e164, e164 }, externalIds: {}, externalIdsPresent: false }));
    const variables = ['name', 'tier'].map((name, i) => ({ name, value: ['Caller 3', 'gold'][i], ttl: SEEDED_VARIABLE_TTL_SECONDS, source: null }));
    expect(seedEndPrint('Caller 3', 'gold')).toBe(fingerprint({ customerRef: null, hints: null, intent: { name: 'refund_request', status: IntentStatus.OPEN }, variables }));
  });
});

describe.each(ENGINES)('npm run seed on %s', (engine) => {
  it('writes customers, identities, calls, intents and variables in the scale shape, registers the key, and the service recognises a seeded caller', async () => {
    const scratch = await createScratchDatabase(engine);
    const key = generateApiKey(Environment.PROD);
    const config = { ...testConfig(), database: scratch.config };
    const done: number[] = [];
    try {
      const result = await seed(config, { customers: CUSTOMERS, organisation: 'seeded', environment: Environment.TEST, key, now: NOW, progress: (n) => done.push(n) });
      expect(result).toMatchObject({ customers: CUSTOMERS, environment: Environment.PROD });
      expect(done.at(-1)).toBe(CUSTOMERS);

      const orm = await initOrm(scratch.config);
      try {
        const sql = sqlOf(orm.em.fork());
        const count = async (table: string) => Number((await sql.one<{ n: number }>(`select count(*) as n from ${table}`))!.n);
        expect({
          customers: await count('customers'),
          phone_identities: await count('phone_identities'),
          calls: await count('calls'),
          intents: await count('intents'),
          variables: await count('variables'),
        }).toEqual({ customers: CUSTOMERS, phone_identities: CUSTOMERS, calls: 2 * CUSTOMERS, intents: CUSTOMERS, variables: 2 * CUSTOMERS });
        expect(await sql.one('select organisation_id, environment, role from api_keys where hash = ?', [hashApiKey(key, config.appSecret)])).toEqual({
          organisation_id: result.organisationId,
          environment: 'prod',
          role: 'admin',
        });
        // Only calls that started within the replay window keep their start snapshot.
        const kept = await sql.all<{ started_at: unknown }>('select started_at from calls where start_snapshot is not null');
        expect(kept.length).toBeGreaterThan(0);
        for (const row of kept) expect(sql.dialect.toDate(row.started_at).getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 48 * 3_600_000);

        const tenant = { organisationId: result.organisationId, environment: Environment.PROD };
        const { services, ctx } = seededServices(orm, tenant, NOW);
        const ref = await sql.one<{ ref: string }>(
          'select c.ref from customers c join phone_identities p on p.customer_id = c.id where p.e164 = ?',
          [seededAni(7)],
        );
        const again = await services.calls.start(ctx(), { callId: 'returning-7', hints: { ani: seededAni(7) } });
        expect(again.customer.ref).toBe(ref!.ref);
        expect(again.callCount).toBe(3);
        expect(again.identification.sources).toContain('ani:unknown');
        expect(again.openIntents.map((i) => [i.name, i.status, i.attemptCount])).toEqual([['refund_request', 'open', 2]]);
        expect(again.variables.map((v) => [v.name, v.value])).toEqual([
          ['name', 'Caller 7'],
          ['tier', 'silver'],
        ]);

        // The newest seeded call is inside the window: its retried start replays the snapshot, its retried end the stored answer.
        const last = (await sql.one<{ call_id: string; ended_at: unknown }>(
          'select call_id, ended_at from calls where customer_id = (select customer_id from phone_identities where e164 = ?) order by started_at desc',
          [seededAni(CUSTOMERS - 1)],
        ))!;
        const replay = await services.calls.start(ctx(), { callId: last.call_id, hints: { ani: seededAni(CUSTOMERS - 1) } });
        expect(replay.replayed).toBe(true);
        expect(replay.openIntents.map((i) => [i.name, i.attemptCount])).toEqual([['refund_request', 1]]);
        expect(replay.callCount).toBe(2);
        const name = `Caller ${CUSTOMERS - 1}`;
        const tier = ['gold', 'silver', 'bronze'][(CUSTOMERS - 1) % 3];
        const endAgain = await services.calls.end(ctx(), {
          callId: last.call_id,
          intent: 'refund_request',
          variables: [
            { name: 'name', value: name, ttlSeconds: SEEDED_VARIABLE_TTL_SECONDS },
            { name: 'tier', value: tier, ttlSeconds: SEEDED_VARIABLE_TTL_SECONDS },
          ],
        });
        expect(endAgain).toMatchObject({ replayed: true, intentsUpdated: 1, variablesUpdated: 2 });
      } finally {
        await orm.close(true);
      }
    } finally {
      await scratch.drop();
    }
  });
});
