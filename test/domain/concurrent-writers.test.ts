/**
 * Races on one customer and on one new identity (issue 9, items 5 and 6): the variable budget holds under
 * concurrent writers, and concurrent first calls from one new number or external id make one customer.
 */
import { Call } from '../../src/calls/call.entity';
import { Customer } from '../../src/customers/customer.entity';
import { AppError } from '../../src/errors/app-error';
import { LineTypeName } from '../../src/identity/line-type';
import { Variable } from '../../src/variables/variable.entity';
import { createDomain, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

const BUDGET = 16_384;
const BUDGET_ERROR = /^variables budget exceeded: \d+ bytes of values for this customer, the budget is 16384$/;

describe.each(ENGINES)('concurrent writers on %s', (engine) => {
  let d: Domain;
  let seq = 0;
  const callId = () => `race_call_${++seq}`;
  const newAni = () => `+1718555${String(1000 + ++seq).padStart(4, '0')}`;

  beforeAll(async () => {
    d = await createDomain(engine);
  });
  afterAll(() => d.close());

  /** The bytes of a customer's stored values. */
  async function storedBytes(ref: string): Promise<number> {
    const rows = await d.ctx().em.find(Variable, { customer: { ref } });
    return rows.reduce((sum, v) => sum + Buffer.byteLength(v.value, 'utf8'), 0);
  }

  /** Every rejection is the budget error; returns how many writes were accepted. */
  function acceptedOrBudgetError(results: PromiseSettledResult<unknown>[]): number {
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).code).toBe('BAD_USER_INPUT');
      expect((r.reason as AppError).issues).toEqual([{ path: ['variables'], message: expect.stringMatching(BUDGET_ERROR) }]);
    }
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  it('holds the 16 KB variable budget against 40 concurrent setVariables of 4,000 bytes, refusing the rest with the budget error', async () => {
    const ref = (await d.start(callId(), { ani: newAni() })).customer.ref;
    const writes = Array.from({ length: 40 }, (_, i) =>
      d.services.customers.setVariables(d.ctx().em, d.tenant, ref, [{ name: `v${i}`, value: 'x'.repeat(4000) }]),
    );
    const accepted = acceptedOrBudgetError(await Promise.allSettled(writes));
    expect(await storedBytes(ref)).toBeLessThanOrEqual(BUDGET);
    // Checked in turn, exactly four of 4,000 bytes fit.
    expect(accepted).toBe(4);
    expect(await d.count(Variable, { customer: { ref } })).toBe(4);
  });

  it('holds the budget against concurrent call ends and setVariables on one customer', async () => {
    const ref = (await d.start(callId(), { ani: newAni() })).customer.ref;
    const starts = await Promise.all(Array.from({ length: 20 }, () => d.start(callId(), { customerRef: ref })));
    const writes = [
      ...starts.map((s, i) =>
        d.services.calls.end(d.ctx(), { callId: s.call.callId, customerRef: ref, variables: [{ name: `end${i}`, value: 'e'.repeat(4000) }] }),
      ),
      ...Array.from({ length: 20 }, (_, i) => d.services.customers.setVariables(d.ctx().em, d.tenant, ref, [{ name: `set${i}`, value: 's'.repeat(4000) }])),
    ];
    const accepted = acceptedOrBudgetError(await Promise.allSettled(writes));
    expect(await storedBytes(ref)).toBeLessThanOrEqual(BUDGET);
    expect(accepted).toBe(4);
  });

  it('loses no call, outcome or variable when a merge runs amid both customers’ calls and variable writes', async () => {
    const [a, b] = [(await d.start(callId(), { ani: newAni() })).customer.ref, (await d.start(callId(), { ani: newAni() })).customer.ref];
    const starts = await Promise.all(Array.from({ length: 10 }, (_, i) => d.start(callId(), { customerRef: i % 2 ? a : b })));
    const results = await Promise.allSettled([
      ...starts.map((s, i) =>
        d.services.calls.end(d.ctx(), { callId: s.call.callId, intent: 'billing', variables: [{ name: `end${i}`, value: String(i) }] }),
      ),
      d.services.customers.merge(d.ctx().em, d.tenant, a, b),
      ...Array.from({ length: 10 }, (_, i) => d.services.customers.setVariables(d.ctx().em, d.tenant, i % 2 ? a : b, [{ name: `set${i}`, value: String(i) }])),
      ...Array.from({ length: 6 }, (_, i) => d.start(callId(), { customerRef: i % 2 ? a : b })),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const survivor = await d.ctx().em.findOneOrFail(Customer, { ref: b });
    expect([survivor.mergedIntoId, survivor.callCount]).toEqual([null, 18]);
    const variables = await d.ctx().em.find(Variable, { customer: survivor });
    expect(variables.map((v) => v.name).sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `end${i}`), ...Array.from({ length: 10 }, (_, i) => `set${i}`)].sort());
    const calls = await d.ctx().em.find(Call, { customer: survivor });
    expect([calls.length, calls.filter((c) => c.intent === 'billing').length]).toEqual([18, 10]);
  });

  it('makes one customer of 30 trials of two concurrent first calls from one new number; the second is a returning caller', async () => {
    for (let trial = 0; trial < 30; trial++) {
      const ani = newAni();
      const customersBefore = await d.count(Customer);
      const answers = await Promise.all([d.start(callId(), { ani }), d.start(callId(), { ani })]);
      expect(new Set(answers.map((a) => a.customer.ref)).size).toBe(1);
      expect(await d.count(Customer)).toBe(customersBefore + 1);
      const sources = answers.map((a) => a.identification.sources).sort((a, b) => a.length - b.length);
      expect(sources).toEqual([[], ['ani:unknown', 'recency:1day']]);
    }
  });

  it('makes one customer of 10 trials of five concurrent first calls from one new number', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const ani = newAni();
      const customersBefore = await d.count(Customer);
      const answers = await Promise.all(Array.from({ length: 5 }, () => d.start(callId(), { ani, lineType: LineTypeName.MOBILE })));
      expect(new Set(answers.map((a) => a.customer.ref)).size).toBe(1);
      expect(await d.count(Customer)).toBe(customersBefore + 1);
      expect(answers.filter((a) => a.identification.sources.length === 0)).toHaveLength(1);
      for (const a of answers.filter((x) => x.identification.sources.length > 0)) {
        expect([a.identification.confidence, a.identification.sources]).toEqual([0.55, ['ani:mobile', 'recency:1day']]);
      }
    }
  });

  it('makes one customer of concurrent first calls with one new CRM id and one new number', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const ani = newAni();
      const crm = `CRM-RACE-${seq}`;
      const customersBefore = await d.count(Customer);
      const answers = await Promise.all([
        d.start(callId(), { ani, externalIds: { crm_id: crm } }),
        d.start(callId(), { externalIds: { crm_id: crm } }),
        d.start(callId(), { ani, externalIds: { crm_id: crm } }),
      ]);
      expect(new Set(answers.map((a) => a.customer.ref)).size).toBe(1);
      expect(await d.count(Customer)).toBe(customersBefore + 1);
      for (const a of answers) expect(a.identification.sources).not.toContain('ani:shared');
    }
  });
});
