/** Intent rules (contract §3, §6) through endCall, startCall and CustomerService.updateIntent. */
import { IntentStatus } from '../../src/intents/intent-status';
import { appError, createDomain, DAY, MINUTE, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

describe.each(ENGINES)('intents on %s', (engine) => {
  let d: Domain;
  let seq = 0;
  const callId = () => `intents_call_${++seq}`;

  beforeAll(async () => {
    d = await createDomain(engine);
  });
  afterAll(() => d.close());

  /** A new customer, known by a number of its own. */
  async function newCustomer(): Promise<string> {
    const started = await d.start(callId(), { ani: `+1212555${String(1000 + ++seq).padStart(4, '0')}` });
    await d.services.calls.end(d.ctx(), { callId: started.call.callId });
    return started.customer.ref;
  }

  /** One call of the customer that reports an intent, a minute after the previous one. */
  async function report(ref: string, intent: string, intentStatus?: IntentStatus) {
    d.clock.advance(MINUTE);
    const started = await d.start(callId(), { customerRef: ref });
    return d.services.calls.end(d.ctx(), { callId: started.call.callId, customerRef: ref, intent, intentStatus });
  }

  /** The open intents a new call of the customer is told, as [name, status, attempts]. */
  async function openIntents(ref: string) {
    const started = await d.start(callId(), { customerRef: ref });
    return started.openIntents.map((i) => [i.name, i.status, i.attemptCount]);
  }

  it.each([
    ['Refund Request', 'refund_request'],
    ['  Lost---Card!! ', 'lost_card'],
    ['billing.dispute/2', 'billing_dispute_2'],
  ])('stores the label %p as %p', async (label, name) => {
    const ref = await newCustomer();
    const ended = await report(ref, label);
    expect([ended.call.intent, ended.call.intentStatus, ended.intentsUpdated]).toEqual([name, 'open', 1]);
    expect(await openIntents(ref)).toEqual([[name, 'open', 1]]);
  });

  it.each([
    ['has no letter or digit', '!!! ---', 'intent must contain at least one letter or digit'],
    ['is longer than 128 characters', 'x'.repeat(129), 'intent must be at most 128 characters'],
  ])('refuses an intent that %s as BAD_USER_INPUT on intent', async (_name, intent, message) => {
    const ref = await newCustomer();
    const error = await appError(report(ref, intent));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues).toEqual([{ path: ['intent'], message }]);
  });

  it('adds an attempt each time an unresolved intent is reported again', async () => {
    const ref = await newCustomer();
    await report(ref, 'refund_request');
    await report(ref, 'Refund Request');
    await report(ref, 'refund request', IntentStatus.OPEN);
    expect(await openIntents(ref)).toEqual([['refund_request', 'open', 3]]);
  });

  it('drops a resolved intent from open intents and reopens it later with attempt 1', async () => {
    const ref = await newCustomer();
    await report(ref, 'refund_request');
    await report(ref, 'refund_request');
    const resolved = await report(ref, 'refund_request', IntentStatus.RESOLVED);
    expect([resolved.call.intentStatus, resolved.intentsUpdated]).toEqual(['resolved', 1]);
    expect(await openIntents(ref)).toEqual([]);

    await report(ref, 'refund_request');
    expect(await openIntents(ref)).toEqual([['refund_request', 'open', 1]]);
  });

  it('counts an abandoned intent as unresolved: still returned, and reporting it again adds an attempt', async () => {
    const ref = await newCustomer();
    await report(ref, 'callback', IntentStatus.ABANDONED);
    expect(await openIntents(ref)).toEqual([['callback', 'abandoned', 1]]);
    await report(ref, 'callback', IntentStatus.ABANDONED);
    await report(ref, 'callback');
    expect(await openIntents(ref)).toEqual([['callback', 'open', 3]]);
  });

  it('lists open intents most recently updated first', async () => {
    const ref = await newCustomer();
    await report(ref, 'billing');
    await report(ref, 'address_change');
    await report(ref, 'cancel');
    await report(ref, 'billing');
    expect(await openIntents(ref)).toEqual([
      ['billing', 'open', 2],
      ['cancel', 'open', 1],
      ['address_change', 'open', 1],
    ]);
  });

  it('stops returning an open intent untouched for 30 days, and restarts it at attempt 1', async () => {
    const ref = await newCustomer();
    await report(ref, 'refund_request');
    await report(ref, 'refund_request');
    d.clock.advance(30 * DAY - MINUTE);
    expect(await openIntents(ref)).toEqual([['refund_request', 'open', 2]]);
    d.clock.advance(MINUTE);
    expect(await openIntents(ref)).toEqual([]);

    await report(ref, 'refund_request');
    expect(await openIntents(ref)).toEqual([['refund_request', 'open', 1]]);
  });

  it('resolves and reopens an intent by hand through CustomerService.updateIntent', async () => {
    const ref = await newCustomer();
    await report(ref, 'refund_request');
    await report(ref, 'refund_request');
    await report(ref, 'billing');

    d.clock.advance(MINUTE);
    const resolved = await d.services.customers.updateIntent(d.ctx().em, ref, 'Refund Request', IntentStatus.RESOLVED);
    expect([resolved.name, resolved.status, resolved.attemptCount]).toEqual(['refund_request', 'resolved', 2]);
    expect(resolved.updatedAt.toISOString()).toBe(d.clock.now().toISOString());
    expect(await openIntents(ref)).toEqual([['billing', 'open', 1]]);

    d.clock.advance(MINUTE);
    const reopened = await d.services.customers.updateIntent(d.ctx().em, ref, 'refund_request', IntentStatus.OPEN);
    expect([reopened.status, reopened.attemptCount]).toEqual(['open', 1]);
    expect(await openIntents(ref)).toEqual([
      ['refund_request', 'open', 1],
      ['billing', 'open', 1],
    ]);
  });

  it('restarts at attempt 1 an expired intent reopened by hand, and keeps the count of a live one', async () => {
    const ref = await newCustomer();
    await report(ref, 'refund_request');
    await report(ref, 'refund_request');
    const abandoned = await d.services.customers.updateIntent(d.ctx().em, ref, 'refund_request', IntentStatus.ABANDONED);
    expect([abandoned.status, abandoned.attemptCount]).toEqual(['abandoned', 2]);
    d.clock.advance(30 * DAY);
    expect(await openIntents(ref)).toEqual([]);
    const reopened = await d.services.customers.updateIntent(d.ctx().em, ref, 'refund_request', IntentStatus.OPEN);
    expect([reopened.status, reopened.attemptCount]).toEqual(['open', 1]);
    expect(await openIntents(ref)).toEqual([['refund_request', 'open', 1]]);
  });

  it('answers NOT_FOUND for updating an intent the customer never had', async () => {
    const ref = await newCustomer();
    const error = await appError(d.services.customers.updateIntent(d.ctx().em, ref, 'nothing_here', IntentStatus.RESOLVED));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(`Customer ${ref} has no intent 'nothing_here'`);
  });
});
