/** CustomerService merges, identity links and the provisional purge, on real databases. */
import { Call } from '../../src/calls/call.entity';
import { Customer } from '../../src/customers/customer.entity';
import { ExternalIdentity } from '../../src/identity/external-identity.entity';
import { PhoneIdentity } from '../../src/identity/phone-identity.entity';
import { Intent } from '../../src/intents/intent.entity';
import { Variable } from '../../src/variables/variable.entity';
import type { VariableWrite } from '../../src/variables/variable.service';
import { appError, createDomain, DAY, MINUTE, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

const UNKNOWN_REF = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

describe.each(ENGINES)('customer merges and identities on %s', (engine) => {
  let d: Domain;
  let seq = 0;
  let lastCallId = '';
  const callId = () => `merge_call_${++seq}`;
  const phone = () => `+1646555${String(1000 + ++seq).padStart(4, '0')}`;

  beforeAll(async () => {
    d = await createDomain(engine);
  });
  afterAll(() => d.close());

  /** One call, a minute after the previous one, ending with an intent and variables. */
  async function call(hints: Parameters<Domain['start']>[1], intent?: string, variables: VariableWrite[] = []) {
    d.clock.advance(MINUTE);
    const started = await d.start(callId(), hints);
    await d.services.calls.end(d.ctx(), { callId: started.call.callId, intent, variables });
    lastCallId = started.call.callId;
    return started.customer.ref;
  }

  const merge = (source: string, target: string) => d.services.customers.merge(d.ctx().em, d.tenant, source, target);

  it('moves identities, calls, intents and variables to the target, keeping the newer of a clash', async () => {
    const [sourcePhone, targetPhone] = [phone(), phone()];
    const target = await call({ ani: targetPhone, externalIds: { crm_id: `T-${seq}` } }, 'billing', [
      { name: 'name', value: 'T. Old' },
      { name: 'tier', value: 'gold' },
    ]);
    const source = await call({ ani: sourcePhone, externalIds: { crm_id: `S-${seq}` } }, 'refund', [{ name: 'name', value: 'S. New' }]);
    await call({ customerRef: source }, 'billing', [{ name: 'vip', value: 'yes' }]);
    const newerBilling = lastCallId;
    await call({ customerRef: target }, undefined, [{ name: 'vip', value: 'no' }]);

    d.clock.advance(MINUTE);
    const merged = await merge(source, target);
    expect(merged.ref).toBe(target);
    expect(merged.callCount).toBe(4);
    expect(merged.lastCallAt?.toISOString()).toBe(new Date(d.clock.now().getTime() - MINUTE).toISOString());

    const em = d.ctx().em;
    const into = await em.findOneOrFail(Customer, { ref: target });
    expect(await em.count(Call, { customer: into })).toBe(4);
    expect((await em.find(PhoneIdentity, { customer: into }, { orderBy: { e164: 'asc' } })).map((p) => p.e164)).toEqual(
      [sourcePhone, targetPhone].sort(),
    );
    expect(await em.count(ExternalIdentity, { customer: into })).toBe(2);
    const intents = await em.find(Intent, { customer: into }, { orderBy: { name: 'asc' } });
    expect(intents.map((i) => [i.name, i.attemptCount])).toEqual([['billing', 1], ['refund', 1]]);
    expect(intents[0].lastCallId).toBe(newerBilling);
    const variables = await em.find(Variable, { customer: into }, { orderBy: { name: 'asc' } });
    expect(variables.map((v) => [v.name, v.value])).toEqual([
      ['name', 'S. New'],
      ['tier', 'gold'],
      ['vip', 'no'],
    ]);

    const from = await em.findOneOrFail(Customer, { ref: source });
    expect([from.mergedIntoId, from.callCount, await em.count(Call, { customer: from })]).toEqual([into.id, 0, 0]);
  });

  it('resolves the source ref, numbers and external ids to the target afterwards', async () => {
    const sourcePhone = phone();
    const target = await call({ ani: phone() }, 'billing');
    const account = `ACC-${seq}`;
    const source = await call({ ani: sourcePhone, externalIds: { account } }, 'refund');
    await merge(source, target);

    const found = await d.services.identity.findByRef(d.ctx().em, source);
    expect(found?.ref).toBe(target);
    expect((await d.services.customers.byRefOrFail(d.ctx().em, source)).ref).toBe(target);

    d.clock.advance(MINUTE);
    const byRef = await d.start(callId(), { customerRef: source });
    expect(byRef.customer.ref).toBe(target);
    expect(byRef.identification.sources).toEqual(['customer_ref', 'recency:1day']);
    expect(byRef.openIntents.map((i) => i.name).sort()).toEqual(['billing', 'refund']);
    const byPhone = await d.start(callId(), { ani: sourcePhone });
    expect(byPhone.customer.ref).toBe(target);
    const byAccount = await d.start(callId(), { externalIds: { account } });
    expect(byAccount.customer.ref).toBe(target);
    expect(byAccount.customer.callCount).toBe(5);
  });

  it('refuses to merge a customer into itself (also through a merged ref) as BAD_USER_INPUT', async () => {
    const target = await call({ ani: phone() });
    const source = await call({ ani: phone() });
    for (const [from, to] of [[target, target], [source, target]]) {
      if (from === source) await merge(source, target);
      const error = await appError(merge(from, to));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.issues).toEqual([{ path: ['sourceRef'], message: 'sourceRef and targetRef name the same customer' }]);
    }
  });

  it('answers NOT_FOUND for merging an unknown ref', async () => {
    const known = await call({ ani: phone() });
    for (const [from, to] of [[UNKNOWN_REF, known], [known, UNKNOWN_REF], [known, 'not-a-ref']]) {
      const error = await appError(merge(from, to));
      expect(error.code).toBe('NOT_FOUND');
    }
  });

  it('links and unlinks numbers and external ids, refusing an external id owned by another customer', async () => {
    const [mobile, other] = [phone(), phone()];
    const ref = await call({ ani: phone() });
    const [owned, linked] = [`OWNED-${seq}`, `LINKED-${seq}`];
    const owner = await call({ ani: other, externalIds: { crm_id: owned } });
    const customers = d.services.customers;

    await customers.link(d.ctx().em, d.tenant, ref, { ani: `(${mobile.slice(2, 5)}) ${mobile.slice(5, 8)}-${mobile.slice(8)}`, lineType: null });
    await customers.link(d.ctx().em, d.tenant, ref, { externalId: { key: ' CRM_ID ', value: ` ${linked} ` } });
    d.clock.advance(MINUTE);
    const byMobile = await d.start(callId(), { ani: mobile });
    expect([byMobile.customer.ref, byMobile.identification.sources]).toEqual([ref, ['ani:unknown', 'recency:1day']]);
    const byCrm = await d.start(callId(), { externalIds: { crm_id: linked } });
    expect(byCrm.customer.ref).toBe(ref);

    const conflict = await appError(customers.link(d.ctx().em, d.tenant, ref, { externalId: { key: 'crm_id', value: owned } }));
    expect(conflict.code).toBe('CONFLICT');
    expect((await d.start(callId(), { externalIds: { crm_id: owned } })).customer.ref).toBe(owner);

    const badAni = await appError(customers.link(d.ctx().em, d.tenant, ref, { ani: 'anonymous' }));
    expect(badAni.issues).toEqual([{ path: ['identity', 'ani'], message: 'ani is not a usable phone number' }]);

    await customers.unlink(d.ctx().em, ref, { ani: mobile });
    const afterUnlink = await d.start(callId(), { ani: mobile });
    expect(afterUnlink.customer.ref).not.toBe(ref);
    expect(afterUnlink.identification.confidence).toBe(0);
    const missing = await appError(customers.unlink(d.ctx().em, ref, { ani: mobile }));
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('purges only provisional customers older than the TTL, with their calls', async () => {
    const fresh = await createDomain(engine);
    try {
      const start = (hints: Parameters<Domain['start']>[1]) => fresh.start(`purge_${++seq}`, hints);
      const oldProvisional = await start({ ani: 'anonymous' });
      const oldKnown = await start({ ani: phone() });
      const oldWithVariable = await start({ ani: 'restricted' });
      await fresh.services.customers.setVariables(fresh.ctx().em, fresh.tenant, oldWithVariable.customer.ref, [{ name: 'n', value: 'v' }]);
      fresh.clock.advance(7 * DAY - MINUTE);
      const young = await start({ customerRef: UNKNOWN_REF });
      fresh.clock.advance(MINUTE + 1);

      expect(await fresh.services.customers.purgeProvisional(fresh.ctx().em)).toBe(1);
      const left = await fresh.ctx().em.find(Customer, {}, { orderBy: { createdAt: 'asc', ref: 'asc' } });
      expect(left.map((c) => c.ref).sort()).toEqual([oldKnown, oldWithVariable, young].map((s) => s.customer.ref).sort());
      expect(await fresh.count(Call, { callId: oldProvisional.call.callId })).toBe(0);
      expect(await fresh.count(Call)).toBe(3);
    } finally {
      await fresh.close();
    }
  });
});
