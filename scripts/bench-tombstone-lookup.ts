/**
 * `node -r @swc-node/register scripts/bench-tombstone-lookup.ts`: what the erasure check costs a call's
 * start (privacy/erased-calls.ts). Prints, per engine, the CPU of this process per lookup alone (2,000 in
 * one transaction) and per new-caller start through CallService with and without the check, in
 * alternating rounds of 400 (median of 6), with 10,000 tombstones in the tenant. Domain level: no HTTP.
 */
import 'reflect-metadata';

import { CallService } from '../src/calls/call.service';
import { inTransaction } from '../src/db/sql';
import { ErasedCalls } from '../src/privacy/erased-calls';
import { insertTombstones } from '../src/privacy/privacy.sql';
import { TombstoneDigests } from '../src/privacy/tombstone-digest';
import { TombstoneKind } from '../src/privacy/tombstone.entity';
import { createDomain, TENANT } from '../test/support/domain';
import { testConfig } from '../test/support/test-app';

const KEY_ID = '11111111-1111-4111-8111-111111111111';

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function measure(engine: 'sqlite' | 'postgresql'): Promise<void> {
  const d = await createDomain(engine);
  const digests = new TombstoneDigests(testConfig().appSecret);
  const { rules, identity, intents, variables } = d.services;
  const guarded = new CallService(rules, identity, intents, variables, d.clock, 'csat', new ErasedCalls(digests));
  const plain = new CallService(rules, identity, intents, variables, d.clock, 'csat');
  const old = Array.from({ length: 10_000 }, (_, i) => ({ kind: TombstoneKind.CALL, digest: digests.call(TENANT, `old-${i}`) }));
  await inTransaction(d.ctx().em, (sql) => insertTombstones(sql, TENANT, old, KEY_ID, new Date()));

  const erased = new ErasedCalls(digests);
  const before = process.cpuUsage();
  await inTransaction(d.ctx().em, async (sql) => {
    for (let i = 0; i < 2000; i++) await erased.start(sql, TENANT, `probe-${i}`, new Date());
  });
  const alone = process.cpuUsage(before);
  console.log(`${engine}: the lookup alone (2000 in one transaction): ${((alone.user + alone.system) / 2000).toFixed(0)} µs CPU each`);

  let n = 0;
  const round = async (service: CallService, count: number) => {
    const start = process.cpuUsage();
    for (let i = 0; i < count; i++) {
      n++;
      await service.start(d.ctx(), { callId: `c-${n}`, hints: { ani: `+1415${String(5_000_000 + n).padStart(7, '0')}` } });
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / count;
  };
  await round(plain, 300);
  await round(guarded, 300);
  const without: number[] = [];
  const withCheck: number[] = [];
  for (let k = 0; k < 6; k++) {
    // Alternating which goes first, as the database grows under both.
    if (k % 2) withCheck.push(await round(guarded, 400));
    without.push(await round(plain, 400));
    if (!(k % 2)) withCheck.push(await round(guarded, 400));
  }
  const a = median(without);
  const b = median(withCheck);
  console.log(`${engine}: new-caller start CPU µs/start, median of 6×400: without the check ${a.toFixed(0)}, with it ${b.toFixed(0)}, ratio ${(b / a).toFixed(3)}`);
  await d.close();
}

measure('sqlite')
  .then(() => measure('postgresql'))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
