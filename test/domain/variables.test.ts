/** Variable rules (contract §3, §6): last write wins, TTLs, deletes, limits and the per-customer budget. */
import { Call } from '../../src/calls/call.entity';
import { Customer } from '../../src/customers/customer.entity';
import { Variable } from '../../src/variables/variable.entity';
import type { VariableWrite } from '../../src/variables/variable.service';
import { appError, createDomain, MINUTE, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

describe.each(ENGINES)('variables on %s', (engine) => {
  let d: Domain;
  let seq = 0;
  const callId = () => `variables_call_${++seq}`;

  beforeAll(async () => {
    d = await createDomain(engine);
  });
  afterAll(() => d.close());

  async function newCustomer(): Promise<string> {
    const started = await d.start(callId(), { ani: `+1312555${String(1000 + ++seq).padStart(4, '0')}` });
    return started.customer.ref;
  }

  /** A call of the customer that ends writing the variables. */
  async function write(ref: string, variables: VariableWrite[]) {
    const started = await d.start(callId(), { customerRef: ref });
    return d.services.calls.end(d.ctx(), { callId: started.call.callId, customerRef: ref, variables });
  }

  /** What a new call of the customer is told, as [name, value, source, ttl]. */
  async function seen(ref: string) {
    const started = await d.start(callId(), { customerRef: ref });
    return started.variables.map((v) => [v.name, v.value, v.source, v.ttlSeconds]);
  }

  it('keeps one row holding the last value when one batch writes a name twice (the writes are sent together)', async () => {
    const ref = await newCustomer();
    await write(ref, [{ name: 'twice', value: 'first' }, { name: 'other', value: 'x' }, { name: 'twice', value: 'second' }]);
    expect(await seen(ref)).toEqual([
      ['other', 'x', null, 2592000],
      ['twice', 'second', null, 2592000],
    ]);
    expect(await d.count(Variable, { customer: { ref }, name: 'twice' })).toBe(1);
  });

  it('keeps the last write of a variable, with the default TTL and no source', async () => {
    const ref = await newCustomer();
    await write(ref, [{ name: 'name', value: 'John Doe' }, { name: 'tier', value: 'silver' }]);
    d.clock.advance(MINUTE);
    const ended = await write(ref, [{ name: 'name', value: 'Jane Doe' }]);
    expect(ended.variablesUpdated).toBe(1);
    expect(await seen(ref)).toEqual([
      ['name', 'Jane Doe', null, 2_592_000],
      ['tier', 'silver', null, 2_592_000],
    ]);
  });

  it('keeps the source and TTL of the object form and stops returning the value when its TTL is over', async () => {
    const ref = await newCustomer();
    await write(ref, [{ name: 'otp_ok', value: 'true', ttlSeconds: 60, source: 'ivr' }, { name: 'account', value: '42', source: 'crm', ttlSeconds: 86_400 }]);
    d.clock.advance(59_999);
    expect(await seen(ref)).toEqual([
      ['account', '42', 'crm', 86_400],
      ['otp_ok', 'true', 'ivr', 60],
    ]);
    d.clock.advance(1);
    expect(await seen(ref)).toEqual([['account', '42', 'crm', 86_400]]);
  });

  it('deletes a variable written as null and counts only deletes of variables that existed', async () => {
    const ref = await newCustomer();
    await write(ref, [{ name: 'name', value: 'Ann' }, { name: 'tier', value: 'gold' }]);
    const ended = await write(ref, [{ name: 'tier', value: null }, { name: 'never_set', value: null }]);
    expect(ended.variablesUpdated).toBe(1);
    expect(await seen(ref)).toEqual([['name', 'Ann', null, 2_592_000]]);
  });

  it('refuses more than 100 variables in one request', async () => {
    const ref = await newCustomer();
    const writes = Array.from({ length: 101 }, (_, i) => ({ name: `v${i}`, value: 'x' }));
    const error = await appError(write(ref, writes));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues).toEqual([{ path: ['variables'], message: 'at most 100 variables per request (got 101)' }]);
    await write(ref, writes.slice(0, 100));
    expect(await d.count(Variable, { customer: { ref } })).toBe(100);
  });

  it.each(['bad name', '', 'é', 'n'.repeat(65)])('refuses the variable name %p, naming its path', async (name) => {
    const ref = await newCustomer();
    const error = await appError(write(ref, [{ name, value: 'x' }]));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues).toEqual([{ path: ['variables', name], message: 'variable names are 1-64 characters of A-Z a-z 0-9 _ . -' }]);
  });

  it('accepts a value of 4096 characters and refuses one of 4097', async () => {
    const ref = await newCustomer();
    const error = await appError(write(ref, [{ name: 'notes', value: 'n'.repeat(4097) }]));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues).toEqual([{ path: ['variables', 'notes'], message: 'value is longer than 4096 characters' }]);
    await write(ref, [{ name: 'notes', value: 'n'.repeat(4096) }]);
    expect((await seen(ref))[0][1]).toHaveLength(4096);
  });

  it('refuses a write that takes the customer over the 16 KB budget, and writes nothing of it', async () => {
    const ref = await newCustomer();
    const quarter = (c: string) => c.repeat(4096);
    await write(ref, [{ name: 'a', value: quarter('a') }, { name: 'b', value: quarter('b') }, { name: 'c', value: quarter('c') }]);
    const started = await d.start(callId(), { customerRef: ref });
    const error = await appError(
      d.services.calls.end(d.ctx(), {
        callId: started.call.callId,
        customerRef: ref,
        intent: 'billing',
        variables: [{ name: 'a', value: 'changed' }, { name: 'd', value: quarter('d') }, { name: 'e', value: 'é'.repeat(2048) }],
      }),
    );
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues).toEqual([
      { path: ['variables'], message: 'variables budget exceeded: 16391 bytes of values for this customer, the budget is 16384' },
    ]);
    expect((await seen(ref)).map(([name, value]) => [name, value])).toEqual([['a', quarter('a')], ['b', quarter('b')], ['c', quarter('c')]]);
    const call = await d.ctx().em.findOneOrFail(Call, { callId: started.call.callId });
    expect([call.endedAt, call.intent]).toEqual([null, null]);
    expect(started.openIntents).toEqual([]);
    expect((await d.start(callId(), { customerRef: ref })).openIntents).toEqual([]);

    // Exactly the budget fits; expired values do not count against it.
    await write(ref, [{ name: 'd', value: quarter('d') }]);
    expect(await d.count(Variable, { customer: { ref } })).toBe(4);
    await write(ref, [{ name: 'a', value: 'gone soon', ttlSeconds: 1 }]);
    d.clock.advance(1000);
    await write(ref, [{ name: 'e', value: 'é'.repeat(2046) }]);
    expect((await seen(ref)).map(([name]) => name)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('records nothing of a standalone end whose variables are over the budget', async () => {
    const [customers, calls] = [await d.count(Customer), await d.count(Call)];
    const id = callId();
    const variables = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, value: name.repeat(4096) }));
    const error = await appError(d.services.calls.end(d.ctx(), { callId: id, hints: { ani: '+13125550999' }, intent: 'billing', variables }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues?.[0].message).toBe('variables budget exceeded: 20480 bytes of values for this customer, the budget is 16384');
    expect([await d.count(Customer), await d.count(Call)]).toEqual([customers, calls]);
  });

  it('purges expired variables with VariableService.purgeExpired and keeps live ones', async () => {
    const ref = await newCustomer();
    await write(ref, [{ name: 'short', value: '1', ttlSeconds: 30 }, { name: 'long', value: '2' }]);
    d.clock.advance(30_000);
    const now = d.clock.now();
    const expired = await d.count(Variable, { expiresAt: { $lte: now } });
    expect(await d.count(Variable, { customer: { ref }, expiresAt: { $lte: now } })).toBe(1);
    expect(await d.services.variables.purgeExpired(d.ctx().em, now)).toBe(expired);
    expect(await d.count(Variable, { expiresAt: { $lte: now } })).toBe(0);
    const left = await d.ctx().em.find(Variable, { customer: { ref } });
    expect(left.map((v) => v.name)).toEqual(['long']);
  });

  it('writes and deletes variables outside a call through CustomerService', async () => {
    const first = await d.start(callId(), { ani: '{{ani}}', externalIds: { five9_call_id: 'F9-VAR' } });
    const ref = first.customer.ref;
    expect(first.customer.provisional).toBe(true);

    d.clock.advance(MINUTE);
    const set = await d.services.customers.setVariables(d.ctx().em, d.tenant, ref, [
      { name: 'name', value: 'Zoe', source: 'agent' },
      { name: 'tier', value: 'gold', ttlSeconds: 3600 },
    ]);
    expect([set.updated, set.customer.provisional]).toEqual([2, false]);
    const stored = await d.ctx().em.findOneOrFail(Customer, { ref });
    expect(stored.provisional).toBe(false);
    expect(await seen(ref)).toEqual([
      ['name', 'Zoe', 'agent', 2_592_000],
      ['tier', 'gold', null, 3600],
    ]);

    expect((await d.services.customers.deleteVariable(d.ctx().em, ref, 'tier')).deleted).toBe(true);
    expect((await d.services.customers.deleteVariable(d.ctx().em, ref, 'tier')).deleted).toBe(false);
    expect(await seen(ref)).toEqual([['name', 'Zoe', 'agent', 2_592_000]]);

    const tooBig = await appError(d.services.customers.setVariables(d.ctx().em, d.tenant, ref, [{ name: 'big', value: 'b'.repeat(4096) }, { name: 'big2', value: 'b'.repeat(4096) }, { name: 'big3', value: 'b'.repeat(4096) }, { name: 'big4', value: 'b'.repeat(4096) }]));
    expect(tooBig.code).toBe('BAD_USER_INPUT');
    expect(tooBig.issues?.[0].message).toMatch(/budget/);
    expect(await d.count(Variable, { customer: { ref } })).toBe(1);

    const unknown = await appError(d.services.customers.setVariables(d.ctx().em, d.tenant, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', [{ name: 'x', value: 'y' }]));
    expect(unknown.code).toBe('NOT_FOUND');
  });
});
