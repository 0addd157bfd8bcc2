/**
 * The replay window (REPLAY_WINDOW_HOURS): a retried start replays its first answer exactly while the
 * call's start snapshot is kept; the purge drops snapshots of calls that started before the window; a
 * start retried after it answers the same call, customer and identification with what the customer holds now.
 */
import { Call } from '../../src/calls/call.entity';
import { dropOldSnapshots } from '../../src/calls/replay-window';
import { sqlOf } from '../../src/db/sql';
import { runPurge } from '../../src/maintenance/purge';
import { IntentStatus } from '../../src/intents/intent-status';
import { Organisation } from '../../src/tenancy/organisation.entity';
import { appError, createDomain, MINUTE, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

const HOUR = 60 * MINUTE;
const WINDOW = 48 * HOUR;
const CALLER = { ani: '4155550142' };

describe.each(ENGINES)('replay window on %s', (engine) => {
  let d: Domain;

  beforeEach(async () => {
    d = await createDomain(engine, { replayWindowMs: WINDOW });
    const em = d.orm.em.fork();
    em.create(Organisation, { id: d.tenant.organisationId, slug: 'replay-window', name: 'Replay window' });
    await em.flush();
  });
  afterEach(() => d.close());

  /** Call ids whose start snapshot is still stored. */
  const withSnapshot = async () =>
    (await sqlOf(d.orm.em.fork()).all<{ call_id: string }>('select call_id from calls where start_snapshot is not null order by call_id')).map((r) => r.call_id);

  /** A returning caller whose second call's start answer names one open intent and one variable. */
  async function returningCall() {
    await d.start('first', CALLER);
    await d.services.calls.end(d.ctx(), { callId: 'first', intent: 'Refund Request', variables: [{ name: 'name', value: 'Ada', ttlSeconds: 365 * 86_400 }] });
    d.clock.advance(HOUR);
    const answer = await d.start('second', CALLER);
    // What the customer holds changes after the answer: a replay must not show it while the snapshot is kept.
    await d.services.calls.end(d.ctx(), { callId: 'second', intent: 'Refund Request', intentStatus: IntentStatus.RESOLVED, variables: [{ name: 'name', value: 'Ada Lovelace' }] });
    return answer;
  }

  it('replays the first start answer exactly inside the window, also after a purge', async () => {
    const first = await returningCall();
    d.clock.advance(WINDOW - HOUR);
    await runPurge(d.orm, d.services);
    const replay = await d.start('second', CALLER);
    expect(replay.replayed).toBe(true);
    expect(replay.openIntents.map((i) => [i.name, i.status, i.attemptCount])).toEqual([['refund_request', 'open', 1]]);
    expect(replay.variables.map((v) => [v.name, v.value])).toEqual([['name', 'Ada']]);
    const answer = (r: typeof first) => ({
      ref: r.customer.ref,
      startedAt: r.call.startedAt,
      identification: r.identification,
      openIntents: r.openIntents,
      variables: r.variables,
      previousCallAt: r.previousCallAt,
      callCount: r.callCount,
      lastIntent: r.lastIntent,
    });
    expect(answer(replay)).toEqual(answer(first));
  });

  it('drops the start snapshots of calls that started before the window in the purge, and keeps younger ones', async () => {
    await returningCall();
    // first started at T0, second an hour later; now the window reaches back to half an hour after T0.
    d.clock.advance(WINDOW - 30 * MINUTE);
    await d.start('young', CALLER);
    expect(await withSnapshot()).toEqual(['first', 'second', 'young']);
    await runPurge(d.orm, d.services);
    expect(await withSnapshot()).toEqual(['second', 'young']);
    d.clock.advance(HOUR);
    await runPurge(d.orm, d.services);
    expect(await withSnapshot()).toEqual(['young']);
    // The calls themselves stay, with everything but the snapshot.
    expect(await d.count(Call)).toBe(3);
  });

  it('drops old snapshots in batches of the given size until none is left', async () => {
    for (let i = 0; i < 5; i++) await d.start(`call-${i}`, CALLER);
    d.clock.advance(WINDOW + 1);
    expect(await dropOldSnapshots(d.orm.em.fork(), WINDOW, d.clock.now(), 2)).toBe(5);
    expect(await withSnapshot()).toEqual([]);
  });

  it('answers a start retried after the window with the same call, customer and identification and what the customer holds now', async () => {
    const first = await returningCall();
    d.clock.advance(WINDOW + HOUR);
    await runPurge(d.orm, d.services);
    expect(await withSnapshot()).toEqual([]);
    const late = await d.start('second', CALLER);
    expect(late.replayed).toBe(true);
    expect(late.customer.ref).toBe(first.customer.ref);
    expect(late.call.startedAt).toEqual(first.call.startedAt);
    expect(late.identification).toEqual(first.identification);
    expect(late.previousCallAt).toEqual(first.previousCallAt);
    expect(late.openIntents).toEqual([]);
    expect(late.variables.map((v) => [v.name, v.value])).toEqual([['name', 'Ada Lovelace']]);
    expect(late.lastIntent).toMatchObject({ name: 'refund_request', status: 'resolved' });
    expect(late.callCount).toBe(2);
  });

  it('still refuses a start retried after the window with different hints (409)', async () => {
    await returningCall();
    d.clock.advance(WINDOW + HOUR);
    await runPurge(d.orm, d.services);
    const error = await appError(d.start('second', { ani: '4155550199' }));
    expect(error.code).toBe('CONFLICT');
  });

  it('still refuses a start for a call recorded by its end alone, after the window too (409)', async () => {
    await d.services.calls.end(d.ctx(), { callId: 'standalone', hints: CALLER, intent: 'billing' });
    d.clock.advance(WINDOW + HOUR);
    await runPurge(d.orm, d.services);
    const error = await appError(d.start('standalone', CALLER));
    expect(error.code).toBe('CONFLICT');
  });
});
