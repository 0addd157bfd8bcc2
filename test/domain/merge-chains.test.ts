/**
 * Merge chains (issue 9, item 7): however many merges a ref went through, it resolves to the surviving
 * customer; merges compress the chain as they go, and chains already stored long (or looping) still resolve.
 */
import { Customer } from '../../src/customers/customer.entity';
import { createDomain, MINUTE, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

describe.each(ENGINES)('merge chains on %s', (engine) => {
  let d: Domain;
  let seq = 0;
  const callId = () => `chain_call_${++seq}`;

  beforeAll(async () => {
    d = await createDomain(engine);
  });
  afterAll(() => d.close());

  /** `n` customers, each known by a number of its own. */
  async function customers(n: number): Promise<string[]> {
    const refs: string[] = [];
    for (let i = 0; i < n; i++) refs.push((await d.start(callId(), { ani: `+1415666${String(1000 + ++seq).padStart(4, '0')}` })).customer.ref);
    return refs;
  }

  it('lands a start with the first ref of a chain of 15 merges on the survivor, and points every merged customer at it', async () => {
    const refs = await customers(16);
    for (let i = 0; i < 15; i++) {
      d.clock.advance(MINUTE);
      await d.services.customers.merge(d.ctx().em, d.tenant, refs[i], refs[i + 1]);
    }
    const survivor = await d.ctx().em.findOneOrFail(Customer, { ref: refs[15] });
    const merged = await d.ctx().em.find(Customer, { ref: { $in: refs.slice(0, 15) } });
    expect(merged.map((c) => c.mergedIntoId)).toEqual(Array(15).fill(survivor.id));

    const started = await d.start(callId(), { customerRef: refs[0] });
    expect([started.customer.ref, started.customer.callCount]).toEqual([refs[15], 17]);
    expect(started.identification.sources[0]).toBe('customer_ref');
    expect((await d.services.customers.byRefOrFail(d.ctx().em, refs[0])).ref).toBe(refs[15]);
  });

  it('follows a chain of 15 hops already stored uncompressed to its end', async () => {
    const refs = await customers(16);
    const em = d.ctx().em;
    const rows = await em.find(Customer, { ref: { $in: refs } });
    const byRef = new Map(rows.map((c) => [c.ref, c]));
    // As a merge before chains were compressed left them: each customer points at the next one only.
    for (let i = 0; i < 15; i++) byRef.get(refs[i])!.mergedIntoId = byRef.get(refs[i + 1])!.id;
    await em.flush();

    const started = await d.start(callId(), { customerRef: refs[0] });
    expect(started.customer.ref).toBe(refs[15]);
    expect((await d.services.identity.findByRef(d.ctx().em, refs[0]))?.ref).toBe(refs[15]);
    // A merge onto the end of the old chain compresses what points at its source.
    d.clock.advance(MINUTE);
    const [next] = await customers(1);
    await d.services.customers.merge(d.ctx().em, d.tenant, refs[15], next);
    const last = await d.ctx().em.findOneOrFail(Customer, { ref: refs[14] });
    expect(last.mergedIntoId).toBe((await d.ctx().em.findOneOrFail(Customer, { ref: next })).id);
    expect((await d.start(callId(), { customerRef: refs[0] })).customer.ref).toBe(next);
  });

  it('lets only one of two crossing merges happen at once (A into B, B into A), so no chain loops', async () => {
    for (let trial = 0; trial < 5; trial++) {
      const [a, b] = await customers(2);
      const results = await Promise.allSettled([
        d.services.customers.merge(d.ctx().em, d.tenant, a, b),
        d.services.customers.merge(d.ctx().em, d.tenant, b, a),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: 'BAD_USER_INPUT' });
      const rows = await d.ctx().em.find(Customer, { ref: { $in: [a, b] } });
      expect(rows.filter((c) => c.mergedIntoId === null)).toHaveLength(1);
      const survivor = rows.find((c) => c.mergedIntoId === null)!;
      expect(survivor.callCount).toBe(2);
      expect((await d.start(callId(), { customerRef: a })).customer.ref).toBe(survivor.ref);
    }
  });

  it('treats a ref whose chain loops as matching no one', async () => {
    const [a, b] = await customers(2);
    const em = d.ctx().em;
    const [ca, cb] = [await em.findOneOrFail(Customer, { ref: a }), await em.findOneOrFail(Customer, { ref: b })];
    ca.mergedIntoId = cb.id;
    cb.mergedIntoId = ca.id;
    await em.flush();
    const started = await d.start(callId(), { customerRef: a });
    expect(started.customer.ref).not.toBe(a);
    expect(started.customer.ref).not.toBe(b);
    expect(started.identification.sources).toEqual([]);
  });
});
