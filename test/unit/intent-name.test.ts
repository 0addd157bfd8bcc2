import { MAX_INTENT_NAME_LENGTH, normaliseIntentName } from '../../src/intents/intent-name';

describe('normaliseIntentName', () => {
  it.each([
    ['Refund Request', 'refund_request'],
    [' Billing / Dispute!! ', 'billing_dispute'],
    ['refund_request', 'refund_request'],
    ['REFUND-REQUEST', 'refund_request'],
    ['__refund__request__', 'refund_request'],
    ['plan 2 upgrade', 'plan_2_upgrade'],
    ['Café', 'caf'],
    ['ÄÖ', ''],
    ['   ', ''],
  ])('normalises %p to %p', (input, expected) => {
    expect(normaliseIntentName(input)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = normaliseIntentName(' Billing / Dispute!! ');
    expect(normaliseIntentName(once)).toBe(once);
  });

  it('leaves the length limit to the caller', () => {
    expect(MAX_INTENT_NAME_LENGTH).toBe(128);
    expect(normaliseIntentName('a'.repeat(200))).toHaveLength(200);
  });
});
