/**
 * A merge keeps the 16 KB variable budget: two customers each within it could be merged into one holding
 * twice as much (32,000 bytes after 4 + 4 variables of 4,000), and every later start answer carried it,
 * past the 32 KB that IVR platforms accept. A merge that would leave the survivor over the budget is now
 * refused like any write over it, and changes nothing.
 */
import { AppError } from '../../src/errors/app-error';
import { Call } from '../../src/calls/call.entity';
import { Customer } from '../../src/customers/customer.entity';
import { Variable } from '../../src/variables/variable.entity';
import { appError, createDomain, type Domain } from '../support/domain';
import { databaseState } from '../support/database-state';
import { ENGINES } from '../support/scratch-database';

const VALUE = 'x'.repeat(4000);

describe.each(ENGINES)('the variable budget across a merge, on %s', (engine) => {
  let d: Domain;
  let seq = 0;
  const callId = () => `budget_${++seq}`;
  const newAni = () => `+1917555${String(1000 + ++seq).padStart(4, '0')}`;

  beforeAll(async () => {
    d = await createDomain(engine);
  });
  afterAll(() => d.close());

  /** A customer holding `count` variables of 4,000 bytes, named with `prefix`. */
  async function customerWith(prefix: string, count: number): Promise<string> {
    const ref = (await d.start(callId(), { ani: newAni() })).customer.ref;
    const writes = Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i}`, value: VALUE }));
    await d.services.customers.setVariables(d.ctx().em, d.tenant, ref, writes);
    return ref;
  }

  it('refuses a merge that would leave the survivor over the budget, and changes nothing', async () => {
    const [a, b] = [await customerWith('a', 3), await customerWith('b', 2)];
    const before = await databaseState(d.orm);
    const error = await appError(d.services.customers.merge(d.ctx().em, d.tenant, a, b));
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues).toEqual([
      { path: ['sourceRef'], message: 'variables budget exceeded: the merged customer would hold 20000 bytes of values, the budget is 16384; delete variables first' },
    ]);
    expect(await databaseState(d.orm)).toEqual(before);
  });

  it('merges when the survivor stays within the budget, counting a shared name once', async () => {
    const [a, b] = [await customerWith('a', 2), await customerWith('b', 2)];
    // A's b0 replaces B's (newer wins): 4 names of 4,000 bytes, 16,000 in all.
    d.clock.advance(1000);
    await d.services.customers.setVariables(d.ctx().em, d.tenant, a, [{ name: 'b0', value: VALUE }]);
    await d.services.customers.merge(d.ctx().em, d.tenant, a, b);
    expect(await d.count(Variable, { customer: { ref: b } })).toBe(4);
    const survivor = await d.ctx().em.findOneOrFail(Customer, { ref: b });
    expect(await d.count(Call, { customer: survivor })).toBe(2);
  });

  it('does not count the values that have expired', async () => {
    const a = await customerWith('a', 2);
    const b = (await d.start(callId(), { ani: newAni() })).customer.ref;
    await d.services.customers.setVariables(d.ctx().em, d.tenant, b, [{ name: 'short', value: VALUE, ttlSeconds: 1 }, ...['b0', 'b1'].map((name) => ({ name, value: VALUE }))]);
    d.clock.advance(2000);
    await d.services.customers.merge(d.ctx().em, d.tenant, a, b);
    expect(await d.count(Variable, { customer: { ref: b } })).toBe(5);
  });
});
