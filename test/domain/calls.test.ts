/** CallService.start/end (contract §2-§4): replays, 409s, standalone ends, durations and retry storms. */
import { Call } from '../../src/calls/call.entity';
import type { EndCallCommand } from '../../src/calls/call.types';
import { Customer } from '../../src/customers/customer.entity';
import { IntentStatus } from '../../src/intents/intent-status';
import { Intent } from '../../src/intents/intent.entity';
import { appError, createDomain, MINUTE, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

describe.each(ENGINES)('calls on %s', (engine) => {
  let d: Domain;
  let seq = 0;
  const callId = () => `calls_call_${++seq}`;
  const phone = () => `+1617555${String(1000 + ++seq).padStart(4, '0')}`;
  const end = (command: EndCallCommand) => d.services.calls.end(d.ctx(), command);

  beforeAll(async () => {
    d = await createDomain(engine);
  });
  afterAll(() => d.close());

  it('replays a retried start with the first answer, even after memory changed', async () => {
    const ani = phone();
    const first = await d.start(callId(), { ani });
    await end({ callId: first.call.callId, customerRef: first.customer.ref, intent: 'Billing', variables: [{ name: 'name', value: 'John' }] });
    d.clock.advance(MINUTE);
    const id = callId();
    const started = await d.start(id, { ani, dnis: '8005550100' });
    const startedAt = started.call.startedAt.toISOString();
    expect(started.openIntents.map((i) => [i.name, i.status, i.attemptCount])).toEqual([['billing', 'open', 1]]);

    const ref = started.customer.ref;
    await d.services.customers.setVariables(d.ctx().em, d.tenant, ref, [{ name: 'name', value: 'Jane' }]);
    await d.services.customers.updateIntent(d.ctx().em, ref, 'billing', IntentStatus.RESOLVED);
    d.clock.advance(MINUTE);

    const replay = await d.start(id, { ani: `(${ani.slice(2, 5)}) ${ani.slice(5, 8)}-${ani.slice(8)}`, dnis: '8005550100' });
    expect(replay.replayed).toBe(true);
    expect(replay.customer.ref).toBe(ref);
    expect(replay.call.startedAt.toISOString()).toBe(startedAt);
    expect(replay.identification).toEqual(started.identification);
    expect(replay.openIntents.map((i) => [i.name, i.status, i.attemptCount])).toEqual([['billing', 'open', 1]]);
    expect(replay.variables.map((v) => [v.name, v.value, v.ttlSeconds])).toEqual([['name', 'John', 2_592_000]]);
    expect(await d.count(Call, { callId: id })).toBe(1);
  });

  it('refuses the same call_id with different hints as CONFLICT', async () => {
    const id = callId();
    await d.start(id, { ani: phone() });
    const error = await appError(d.start(id, { ani: phone() }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(`call_id '${id}' was already started with different identity hints`);
  });

  it('replays a retried end with the stored answer and refuses a different body as CONFLICT', async () => {
    const started = await d.start(callId(), { ani: phone() });
    const command: EndCallCommand = {
      callId: started.call.callId,
      customerRef: started.customer.ref,
      intent: 'Refund Request',
      variables: [{ name: 'tier', value: 'gold' }],
    };
    d.clock.advance(15_000);
    const ended = await end(command);
    expect([ended.replayed, ended.intentsUpdated, ended.variablesUpdated, ended.call.durationSeconds]).toEqual([false, 1, 1, 15]);

    d.clock.advance(MINUTE);
    const replay = await end(command);
    expect([replay.replayed, replay.intentsUpdated, replay.variablesUpdated, replay.call.durationSeconds]).toEqual([true, 1, 1, 15]);
    expect(replay.call.endedAt?.toISOString()).toBe(ended.call.endedAt?.toISOString());
    const intent = await d.ctx().em.findOneOrFail(Intent, { customer: { ref: started.customer.ref }, name: 'refund_request' });
    expect(intent.attemptCount).toBe(1);

    const error = await appError(end({ ...command, intent: 'Billing' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(`call_id '${command.callId}' was already ended with a different body`);
  });

  it('refuses a customer_ref that contradicts the call’s customer as CONFLICT', async () => {
    const other = await d.start(callId(), { ani: phone() });
    const started = await d.start(callId(), { ani: phone() });
    for (const customerRef of [other.customer.ref, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee']) {
      const error = await appError(end({ callId: started.call.callId, customerRef }));
      expect(error.code).toBe('CONFLICT');
    }
    const call = await d.ctx().em.findOneOrFail(Call, { callId: started.call.callId });
    expect(call.endedAt).toBeNull();
  });

  it('accepts an empty customer_ref on the end of a started call', async () => {
    const started = await d.start(callId(), { ani: phone() });
    const ended = await end({ callId: started.call.callId, customerRef: '', intent: 'billing' });
    expect(ended.customer.ref).toBe(started.customer.ref);
    expect(ended.intentsUpdated).toBe(1);
  });

  it('matches an upper-case customer_ref on end, started or standalone (UUIDs ignore case)', async () => {
    const started = await d.start(callId(), { ani: phone() });
    const upper = started.customer.ref.toUpperCase();
    const ended = await end({ callId: started.call.callId, customerRef: upper });
    expect(ended.customer.ref).toBe(started.customer.ref);
    const standalone = await end({ callId: callId(), customerRef: upper });
    expect(standalone.customer.ref).toBe(started.customer.ref);
    expect((await d.services.customers.byRefOrFail(d.ctx().em, upper)).ref).toBe(started.customer.ref);
  });

  it('records a standalone end by customer_ref or hints with start = end = now and duration 0', async () => {
    const known = await d.start(callId(), { ani: phone() });
    d.clock.advance(MINUTE);
    const byRef = await end({ callId: callId(), customerRef: known.customer.ref, intent: 'billing' });
    expect(byRef.customer.ref).toBe(known.customer.ref);
    expect(byRef.customer.callCount).toBe(2);
    const now = d.clock.now().toISOString();
    expect([byRef.call.startedAt.toISOString(), byRef.call.endedAt?.toISOString(), byRef.call.durationSeconds]).toEqual([now, now, 0]);

    const ani = phone();
    const byHints = await end({ callId: callId(), hints: { ani }, variables: [{ name: 'name', value: 'Ann' }] });
    expect([byHints.call.startedAt.toISOString(), byHints.call.endedAt?.toISOString(), byHints.call.durationSeconds]).toEqual([now, now, 0]);
    expect(byHints.call.ani).toBe(ani);
    expect(byHints.customer.provisional).toBe(false);
    d.clock.advance(MINUTE);
    const next = await d.start(callId(), { ani });
    expect(next.customer.ref).toBe(byHints.customer.ref);
    expect(next.variables.map((v) => [v.name, v.value])).toEqual([['name', 'Ann']]);
  });

  it('replays a retried standalone end whose customer_ref names no customer', async () => {
    const command: EndCallCommand = { callId: callId(), customerRef: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', intent: 'billing' };
    const first = await end(command);
    expect([first.replayed, first.customer.provisional, first.intentsUpdated]).toEqual([false, false, 1]);
    const retry = await end(command);
    expect([retry.replayed, retry.customer.ref, retry.intentsUpdated]).toEqual([true, first.customer.ref, 1]);
    expect(await d.count(Call, { callId: command.callId })).toBe(1);
  });

  it('refuses an end for an unknown call_id with neither customer_ref nor hints', async () => {
    const error = await appError(end({ callId: callId(), customerRef: '', hints: { ani: '{{caller_phone}}' }, intent: 'billing' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues).toEqual([
      { path: ['call_id'], message: 'Unknown call_id: send customer_ref or identity_hints to record a call that was not started' },
    ]);
  });

  it('refuses a start for a call_id that was recorded by a standalone end', async () => {
    const id = callId();
    await end({ callId: id, hints: { ani: phone() } });
    expect((await appError(d.start(id, { ani: phone() }))).code).toBe('CONFLICT');
  });

  it('measures the duration in whole seconds from start to end', async () => {
    const started = await d.start(callId(), { ani: phone() });
    expect(started.call.startedAt.toISOString()).toBe(d.clock.now().toISOString());
    d.clock.advance(2 * MINUTE + 30_400);
    const ended = await end({ callId: started.call.callId });
    expect(ended.call.durationSeconds).toBe(150);
  });

  it('gives one call and one customer for 20 concurrent identical starts', async () => {
    const id = callId();
    const ani = phone();
    const customersBefore = await d.count(Customer);
    const answers = await Promise.all(Array.from({ length: 20 }, () => d.start(id, { ani })));
    expect(new Set(answers.map((a) => a.customer.ref)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(await d.count(Call, { callId: id })).toBe(1);
    expect(await d.count(Customer)).toBe(customersBefore + 1);
    const customer = await d.ctx().em.findOneOrFail(Customer, { ref: answers[0].customer.ref });
    expect(customer.callCount).toBe(1);
  });

  it('records the outcome once for 20 concurrent identical ends', async () => {
    const started = await d.start(callId(), { ani: phone() });
    d.clock.advance(10_000);
    const command: EndCallCommand = { callId: started.call.callId, customerRef: started.customer.ref, intent: 'Lost Card' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => end(command)));
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    for (const a of answers) {
      expect([a.customer.ref, a.intentsUpdated, a.variablesUpdated, a.call.durationSeconds]).toEqual([started.customer.ref, 1, 0, 10]);
    }
    const intents = await d.ctx().em.find(Intent, { customer: { ref: started.customer.ref } });
    expect(intents.map((i) => [i.name, i.status, i.attemptCount])).toEqual([['lost_card', 'open', 1]]);
  });

  it('gives one call, one customer and one intent for 20 concurrent identical standalone ends', async () => {
    const id = callId();
    const ani = phone();
    const customersBefore = await d.count(Customer);
    const command: EndCallCommand = { callId: id, hints: { ani, externalIds: { crm_id: `CRM-${id}` } }, intent: 'Lost Card' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => end(command)));
    expect(new Set(answers.map((a) => a.customer.ref)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(await d.count(Call, { callId: id })).toBe(1);
    expect(await d.count(Customer)).toBe(customersBefore + 1);
    const intents = await d.ctx().em.find(Intent, { customer: { ref: answers[0].customer.ref } });
    expect(intents.map((i) => [i.name, i.attemptCount])).toEqual([['lost_card', 1]]);
  });

  it('counts every call and attempt when one customer’s different calls start and end concurrently', async () => {
    const first = await d.start(callId(), { externalIds: { crm_id: `CRM-BUSY-${seq}` } });
    const ref = first.customer.ref;
    const starts = await Promise.all(Array.from({ length: 10 }, () => d.start(callId(), { customerRef: ref })));
    await Promise.all(starts.map((s) => end({ callId: s.call.callId, customerRef: ref, intent: 'billing' })));
    const customer = await d.ctx().em.findOneOrFail(Customer, { ref });
    expect(customer.callCount).toBe(11);
    const intents = await d.ctx().em.find(Intent, { customer });
    expect(intents.map((i) => [i.name, i.attemptCount])).toEqual([['billing', 10]]);
  });

  it('keeps every call when many callers start and end at once, and a conflicting one in their midst fails alone', async () => {
    const taken = await d.start(callId(), { ani: phone() });
    const callers = Array.from({ length: 30 }, () => ({ id: callId(), ani: phone() }));
    const callsBefore = await d.count(Call);
    const starts = await Promise.allSettled([
      ...callers.slice(0, 15).map((c) => d.start(c.id, { ani: c.ani })),
      d.start(taken.call.callId, { ani: phone() }),
      ...callers.slice(15).map((c) => d.start(c.id, { ani: c.ani })),
    ]);
    expect(starts.map((s) => s.status).filter((s) => s === 'rejected')).toHaveLength(1);
    expect((starts[15] as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    await Promise.all(callers.map((c) => end({ callId: c.id, intent: 'Billing', variables: [{ name: 'name', value: c.ani }] })));
    expect(await d.count(Call)).toBe(callsBefore + 30);
    for (const c of callers) {
      const started = await d.start(callId(), { ani: c.ani });
      expect([started.callCount, started.openIntents.map((i) => i.name), started.variables.map((v) => v.value)]).toEqual([2, ['billing'], [c.ani]]);
    }
  });

  it('gives one customer when a new caller’s different calls arrive at once with the same new external id', async () => {
    const crm = `CRM-NEW-${++seq}`;
    const customersBefore = await d.count(Customer);
    const answers = await Promise.all(Array.from({ length: 10 }, () => d.start(callId(), { externalIds: { crm_id: crm } })));
    expect(new Set(answers.map((a) => a.customer.ref)).size).toBe(1);
    expect(await d.count(Customer)).toBe(customersBefore + 1);
  });

  it('lists a bad call_id and a missing hint together', async () => {
    const error = await appError(d.start('  ', { ani: '{{caller_phone}}' }));
    expect(error.issues).toEqual([
      { path: ['call_id'], message: 'call_id must be 1-256 characters' },
      { path: ['identity_hints'], message: 'identity_hints must include ani, external_ids, or customer_ref' },
    ]);
  });

  it.each([
    ['missing', undefined],
    ['blank', '  '],
    ['257 characters', 'c'.repeat(257)],
  ])('refuses a %s call_id on start and end as BAD_USER_INPUT', async (_name, id) => {
    const onStart = await appError(d.start(id as string, { ani: phone() }));
    const onEnd = await appError(end({ callId: id as string, hints: { ani: phone() } }));
    for (const error of [onStart, onEnd]) {
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.issues?.map((i) => i.path)).toEqual([['call_id']]);
    }
  });

  it('accepts a call_id of exactly 256 characters after trimming', async () => {
    const id = ` ${'k'.repeat(256)} `;
    const started = await d.start(id, { ani: phone() });
    expect(started.call.callId).toBe('k'.repeat(256));
    expect(started.call.startedAt.toISOString()).toBe(d.clock.now().toISOString());
  });
});
