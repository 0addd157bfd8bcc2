/**
 * Editing a customer while it is merged away loses nothing and answers no 500. linkIdentity,
 * unlinkIdentity, deleteVariable and updateIntent read the customer, then wrote, without its row lock or a
 * transaction: on PostgreSQL an identity linked as the merge moved the customer's rows stayed on the
 * merged-away customer, where no call ever looks (13 of 15 trials: every later call from that external
 * id made a new customer), an unlink or delete found nothing and said so while the row lived on in the
 * survivor, and two links of one identity at once ended in a unique violation, a 500. Each edit now runs
 * in a transaction holding the customer's row lock and runs again when it loses a race.
 */
import { AppError } from '../../src/errors/app-error';
import { IntentStatus } from '../../src/intents/intent-status';
import { Intent } from '../../src/intents/intent.entity';
import { Variable } from '../../src/variables/variable.entity';
import { createDomain, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

const TRIALS = 10;

describe.each(ENGINES)('edits of a customer racing its merge, on %s', (engine) => {
  let d: Domain;
  let seq = 0;
  const next = () => ++seq;
  const newAni = () => `+1646555${String(1000 + next()).padStart(4, '0')}`;

  beforeAll(async () => {
    d = await createDomain(engine);
  });
  afterAll(() => d.close());

  /** Two customers, each from a first call of its own number. */
  async function pair(): Promise<[string, string]> {
    const a = await d.start(`edit_${next()}`, { ani: newAni() });
    const b = await d.start(`edit_${next()}`, { ani: newAni() });
    return [a.customer.ref, b.customer.ref];
  }

  const merge = (source: string, target: string) => d.services.customers.merge(d.ctx().em, d.tenant, source, target);

  it('keeps an external id linked during the merge findable: later calls match the survivor', async () => {
    for (let i = 0; i < TRIALS; i++) {
      const [a, b] = await pair();
      const externalId = { key: 'crm_id', value: `linked-${next()}` };
      await Promise.all([d.services.customers.link(d.ctx().em, d.tenant, a, { externalId }), merge(a, b)]);
      const later = await d.start(`edit_${next()}`, { externalIds: { crm_id: externalId.value } });
      expect({ trial: i, ref: later.customer.ref, sources: later.identification.sources }).toEqual({ trial: i, ref: b, sources: ['external_id', 'recency:1day'] });
    }
  });

  it('keeps a number linked during the merge findable: later calls match the survivor', async () => {
    for (let i = 0; i < TRIALS; i++) {
      const [a, b] = await pair();
      const ani = newAni();
      await Promise.all([d.services.customers.link(d.ctx().em, d.tenant, a, { ani }), merge(a, b)]);
      const later = await d.start(`edit_${next()}`, { ani });
      expect({ trial: i, ref: later.customer.ref }).toEqual({ trial: i, ref: b });
    }
  });

  it('unlinks a number during the merge from the survivor, and says it did', async () => {
    for (let i = 0; i < TRIALS; i++) {
      const ani = newAni();
      const a = (await d.start(`edit_${next()}`, { ani })).customer.ref;
      const [, b] = await pair();
      await Promise.all([d.services.customers.unlink(d.ctx().em, a, { ani }), merge(a, b)]);
      expect({ trial: i, owner: await d.services.customers.byIdentity(d.ctx().em, { ani }) }).toEqual({ trial: i, owner: null });
    }
  });

  it('deletes a variable during the merge from the survivor, and says it did', async () => {
    for (let i = 0; i < TRIALS; i++) {
      const [a, b] = await pair();
      await d.services.customers.setVariables(d.ctx().em, d.tenant, a, [{ name: 'tier', value: 'gold' }]);
      const [deleted] = await Promise.all([d.services.customers.deleteVariable(d.ctx().em, a, 'tier'), merge(a, b)]);
      expect({ trial: i, deleted: deleted.deleted, left: await d.count(Variable, { customer: { ref: b }, name: 'tier' }) }).toEqual({ trial: i, deleted: true, left: 0 });
    }
  });

  it('resolves an intent during the merge on the survivor', async () => {
    for (let i = 0; i < TRIALS; i++) {
      const [a, b] = await pair();
      const started = await d.start(`edit_${next()}`, { customerRef: a });
      await d.services.calls.end(d.ctx(), { callId: started.call.callId, intent: 'billing' });
      // The survivor's own open intent of that name, touched later, wins a merge that runs first (A's row
      // is dropped); an update that runs first touches A's row later still, and it wins. Resolved either way.
      const other = await d.start(`edit_${next()}`, { customerRef: b });
      d.clock.advance(1);
      await d.services.calls.end(d.ctx(), { callId: other.call.callId, intent: 'billing' });
      d.clock.advance(1);
      await Promise.all([d.services.customers.updateIntent(d.ctx().em, a, 'billing', IntentStatus.RESOLVED), merge(a, b)]);
      const intent = await d.ctx().em.findOneOrFail(Intent, { customer: { ref: b }, name: 'billing' });
      expect({ trial: i, status: intent.status }).toEqual({ trial: i, status: IntentStatus.RESOLVED });
    }
  });

  it('links one external id to two customers at once: one gets it, the others are told it is taken, no 500', async () => {
    for (let i = 0; i < TRIALS; i++) {
      const [a, b] = await pair();
      const externalId = { key: 'crm_id', value: `contested-${next()}` };
      const results = await Promise.allSettled([a, b, a, b].map((ref) => d.services.customers.link(d.ctx().em, d.tenant, ref, { externalId })));
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      for (const reason of refused) expect(reason).toBeInstanceOf(AppError);
      expect(refused.map((e: AppError) => e.code)).toEqual(['CONFLICT', 'CONFLICT']);
    }
  });

  it('links one number to one customer four times at once: all succeed, one identity', async () => {
    for (let i = 0; i < TRIALS; i++) {
      const [a] = await pair();
      const ani = newAni();
      await Promise.all([1, 2, 3, 4].map(() => d.services.customers.link(d.ctx().em, d.tenant, a, { ani })));
      const owner = await d.services.customers.byIdentity(d.ctx().em, { ani });
      expect(owner?.ref).toBe(a);
    }
  });
});
