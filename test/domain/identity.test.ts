/** Identity resolution and confidence (contract §2, §5) through CallService.start on real databases. */
import { ExternalIdentity } from '../../src/identity/external-identity.entity';
import { LineTypeName } from '../../src/identity/line-type';
import { PhoneIdentity } from '../../src/identity/phone-identity.entity';
import { Customer } from '../../src/customers/customer.entity';
import { appError, createDomain, DAY, MINUTE, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

const NO_HINT = { path: ['identity_hints'], message: 'identity_hints must include ani, external_ids, or customer_ref' };

describe.each(ENGINES)('identity resolution on %s', (engine) => {
  let d: Domain;
  let seq = 0;
  const callId = () => `id_call_${++seq}`;
  const phone = () => `+1415555${String(1000 + ++seq).padStart(4, '0')}`;

  beforeAll(async () => {
    d = await createDomain(engine);
  });
  afterAll(() => d.close());

  it('scores the contract examples: new caller, ANI-only repeat, mobile ANI + CRM id, customer_ref', async () => {
    const ani = phone();
    const first = await d.start(callId(), { ani, externalIds: { crm_id: 'CRM-EX-1' } });
    expect(first.identification).toEqual({ confidence: 0, level: 'low', sources: [], recommendation: 'ignore' });
    const ref = first.customer.ref;

    d.clock.advance(MINUTE);
    const repeat = await d.start(callId(), { ani });
    expect(repeat.customer.ref).toBe(ref);
    expect(repeat.identification).toEqual({
      confidence: 0.4,
      level: 'low',
      sources: ['ani:unknown', 'recency:1day'],
      recommendation: 'confirm',
    });

    d.clock.advance(MINUTE);
    const mobile = await d.start(callId(), { ani, externalIds: { crm_id: 'CRM-EX-1' }, lineType: LineTypeName.MOBILE });
    expect(mobile.customer.ref).toBe(ref);
    expect(mobile.identification).toEqual({
      confidence: 0.95,
      level: 'very_high',
      sources: ['ani:mobile', 'external_id', 'recency:1day'],
      recommendation: 'reuse',
    });

    d.clock.advance(MINUTE);
    const byRef = await d.start(callId(), { customerRef: ref.toUpperCase() });
    expect(byRef.customer.ref).toBe(ref);
    expect(byRef.identification).toEqual({
      confidence: 1,
      level: 'very_high',
      sources: ['customer_ref', 'recency:1day'],
      recommendation: 'reuse',
    });
  });

  it('treats 4155551234, (415) 555-1234, 1-415-555-1234 and +14155551234 as one number', async () => {
    const refs: string[] = [];
    for (const ani of ['4155551234', '(415) 555-1234', '1-415-555-1234', '+14155551234']) {
      d.clock.advance(MINUTE);
      const answer = await d.start(callId(), { ani });
      refs.push(answer.customer.ref);
      expect(answer.call.ani).toBe('+14155551234');
    }
    expect(new Set(refs).size).toBe(1);
    expect(await d.count(PhoneIdentity, { e164: '+14155551234' })).toBe(1);
    expect(await d.count(Customer, { ref: refs[0] })).toBe(1);
  });

  it.each(['anonymous', 'restricted', '0000000000', '123'])(
    'never matches or stores the withheld ANI %s: each call gets a new provisional customer at confidence 0',
    async (ani) => {
      const phonesBefore = await d.count(PhoneIdentity);
      const first = await d.start(callId(), { ani });
      const second = await d.start(callId(), { ani });
      for (const answer of [first, second]) {
        expect(answer.identification).toEqual({ confidence: 0, level: 'low', sources: [], recommendation: 'ignore' });
        expect(answer.customer.provisional).toBe(true);
        expect(answer.call.ani).toBeNull();
      }
      expect(second.customer.ref).not.toBe(first.customer.ref);
      expect(await d.count(PhoneIdentity)).toBe(phonesBefore);
    },
  );

  it.each(['', '   ', 'null', '{{caller_phone}}', '$(call.ani)', '@Call.ANI@'])(
    'counts the ANI %p as absent: with no other hint it is BAD_USER_INPUT on identity_hints',
    async (ani) => {
      const customersBefore = await d.count(Customer);
      const error = await appError(d.start(callId(), { ani, externalIds: { crm_id: '{{crm_id}}' }, customerRef: '' }));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.issues).toEqual([NO_HINT]);
      expect(await d.count(Customer)).toBe(customersBefore);
    },
  );

  it('learns a new ANI seen with a customer matched by external id, so the ANI alone matches next time', async () => {
    const [home, mobile] = [phone(), phone()];
    const first = await d.start(callId(), { ani: home, externalIds: { crm_id: 'CRM-LEARN' } });
    d.clock.advance(MINUTE);
    const second = await d.start(callId(), { ani: mobile, externalIds: { CRM_ID: 'CRM-LEARN' } });
    expect(second.customer.ref).toBe(first.customer.ref);
    expect(second.identification.sources).toEqual(['external_id', 'recency:1day']);

    d.clock.advance(MINUTE);
    const third = await d.start(callId(), { ani: mobile });
    expect(third.customer.ref).toBe(first.customer.ref);
    expect(third.identification).toEqual({
      confidence: 0.4,
      level: 'low',
      sources: ['ani:unknown', 'recency:1day'],
      recommendation: 'confirm',
    });
  });

  it('never turns a per-call id such as five9_call_id into an identity', async () => {
    const first = await d.start(callId(), { ani: phone(), externalIds: { five9_call_id: 'F9-300001' } });
    expect(await d.count(ExternalIdentity, { key: 'five9_call_id' })).toBe(0);
    d.clock.advance(MINUTE);
    const again = await d.start(callId(), { externalIds: { Five9_Call_ID: 'F9-300001', call_sid: 'CA-1' } });
    expect(again.customer.ref).not.toBe(first.customer.ref);
    expect(again.identification).toEqual({ confidence: 0, level: 'low', sources: [], recommendation: 'ignore' });
    expect(await d.count(ExternalIdentity, { key: 'five9_call_id' })).toBe(0);
  });

  it('counts a shared ANI half, picks the customer seen most recently and adds ani:shared', async () => {
    const shared = phone();
    const alice = await d.start(callId(), { ani: shared, externalIds: { crm_id: 'CRM-ALICE' } });
    d.clock.advance(MINUTE);
    const bobFirst = await d.start(callId(), { externalIds: { crm_id: 'CRM-BOB' } });
    d.clock.advance(MINUTE);
    const bob = await d.start(callId(), { ani: shared, externalIds: { crm_id: 'CRM-BOB' } });
    expect(bob.customer.ref).toBe(bobFirst.customer.ref);
    expect(bob.customer.ref).not.toBe(alice.customer.ref);
    expect(await d.count(PhoneIdentity, { e164: shared })).toBe(2);

    d.clock.advance(MINUTE);
    const toBob = await d.start(callId(), { ani: shared, lineType: LineTypeName.MOBILE });
    expect(toBob.customer.ref).toBe(bob.customer.ref);
    expect(toBob.identification).toEqual({
      confidence: 0.3,
      level: 'low',
      sources: ['ani:mobile', 'ani:shared', 'recency:1day'],
      recommendation: 'confirm',
    });

    d.clock.advance(MINUTE);
    await d.start(callId(), { externalIds: { crm_id: 'CRM-ALICE' } });
    d.clock.advance(MINUTE);
    const toAlice = await d.start(callId(), { ani: shared, lineType: LineTypeName.MOBILE });
    expect(toAlice.customer.ref).toBe(alice.customer.ref);
    expect(toAlice.identification.sources).toEqual(['ani:mobile', 'ani:shared', 'recency:1day']);
  });

  it('lets the external id win over an ANI of another customer, adds conflict, and gives the ANI no weight', async () => {
    const [anaPhone, benPhone] = [phone(), phone()];
    const ana = await d.start(callId(), { ani: anaPhone, externalIds: { crm_id: 'CRM-ANA' } });
    const ben = await d.start(callId(), { ani: benPhone, externalIds: { crm_id: 'CRM-BEN' } });
    d.clock.advance(MINUTE);
    const mixed = await d.start(callId(), { ani: benPhone, externalIds: { crm_id: 'CRM-ANA' }, lineType: LineTypeName.MOBILE });
    expect(mixed.customer.ref).toBe(ana.customer.ref);
    expect(mixed.customer.ref).not.toBe(ben.customer.ref);
    expect(mixed.identification).toEqual({
      confidence: 0.45,
      level: 'low',
      sources: ['external_id', 'recency:1day', 'conflict'],
      recommendation: 'confirm',
    });
  });

  it.each([
    ['an unknown UUID', 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'],
    ['a ref that is not a UUID', 'not-a-ref'],
  ])('gives a new provisional customer for %s as the only hint', async (_name, customerRef) => {
    const answer = await d.start(callId(), { customerRef });
    expect(answer.customer.ref).not.toBe(customerRef);
    expect(answer.customer.provisional).toBe(true);
    expect(answer.customer.callCount).toBe(1);
    expect(answer.identification).toEqual({ confidence: 0, level: 'low', sources: [], recommendation: 'ignore' });
  });

  it('remembers the line type of a number when a later call omits telco', async () => {
    const ani = phone();
    await d.start(callId(), { ani, lineType: LineTypeName.MOBILE });
    d.clock.advance(MINUTE);
    const later = await d.start(callId(), { ani });
    expect(later.call.lineType).toBe(LineTypeName.MOBILE);
    expect(later.identification).toEqual({
      confidence: 0.55,
      level: 'medium',
      sources: ['ani:mobile', 'recency:1day'],
      recommendation: 'reuse',
    });
  });

  it('counts recency in whole days since the previous call and drops it after 7 days', async () => {
    const ani = phone();
    await d.start(callId(), { ani });
    d.clock.advance(3.5 * DAY);
    const later = await d.start(callId(), { ani });
    expect(later.identification).toEqual({
      confidence: 0.4,
      level: 'low',
      sources: ['ani:unknown', 'recency:3day'],
      recommendation: 'confirm',
    });
    d.clock.advance(8 * DAY);
    const stale = await d.start(callId(), { ani });
    expect(stale.identification).toEqual({
      confidence: 0.35,
      level: 'low',
      sources: ['ani:unknown'],
      recommendation: 'confirm',
    });
  });
});
