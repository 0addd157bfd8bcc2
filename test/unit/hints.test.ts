import { cleanExternalIds, cleanHint, DEFAULT_NON_IDENTIFYING_KEYS } from '../../src/identity/hints';

describe('cleanHint', () => {
  it('returns the trimmed text of a real value', () => {
    expect(cleanHint('  C-123 ')).toBe('C-123');
    expect(cleanHint('+14155551234')).toBe('+14155551234');
  });

  it('stringifies finite numbers', () => {
    expect(cleanHint(4155551234)).toBe('4155551234');
    expect(cleanHint(0)).toBe('0');
    expect(cleanHint(Number.NaN)).toBeUndefined();
    expect(cleanHint(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it.each([undefined, null, true, {}, ['x'], Symbol('x')])('treats the non-string, non-number %p as absent', (value) => {
    expect(cleanHint(value)).toBeUndefined();
  });

  it.each(['', '   ', '\t\n'])('treats empty or whitespace-only text %p as absent', (value) => {
    expect(cleanHint(value)).toBeUndefined();
  });

  it.each(['null', 'NULL', ' undefined ', 'None', 'nil', 'N/A', 'n/a'])('treats the null-like text %p as absent', (text) => {
    expect(cleanHint(text)).toBeUndefined();
  });

  it.each([
    '$(call.ani)',
    '${contact.phone}',
    '{{caller_phone}}',
    '{{ trigger.call.From }}',
    '{caller_phone}',
    '@Call.ANI@',
    '@Call.ani@',
    '%ANI%',
    '[[ani]]',
    '<caller_phone>',
    '$.CustomerEndpoint.Address',
    '$session.params.phone',
    '  {{caller_phone}}  ',
  ])('treats the unsubstituted platform placeholder %p as absent', (value) => {
    expect(cleanHint(value)).toBeUndefined();
  });

  it.each([
    'C-123',
    'john@example.com',
    '@handle',
    'user@',
    '50%',
    '100% sure',
    '<sip:+14155551234@10.0.0.1>',
    'a {b} c',
    '$100',
    'x@Call.ANI@',
    '{{a}} and more',
    'n/a-42',
    'nullable',
  ])('keeps the real value %p that merely contains placeholder characters', (value) => {
    expect(cleanHint(value)).toBe(value);
  });
});

describe('cleanExternalIds', () => {
  const keys = DEFAULT_NON_IDENTIFYING_KEYS;

  it('keeps cleaned entries with trimmed, lower-cased keys', () => {
    expect(cleanExternalIds({ ' CRM_ID ': ' C-123 ', email: 'john@example.com' }, keys)).toEqual({
      identifying: { crm_id: 'C-123', email: 'john@example.com' },
      present: true,
    });
  });

  it('drops entries whose value is absent or whose key is blank', () => {
    expect(
      cleanExternalIds({ crm_id: '{{crm}}', account: '', email: 'null', '  ': 'x', phone: null, n: 42 }, keys),
    ).toEqual({ identifying: { n: '42' }, present: true });
  });

  it('excludes per-call ids from the identifying set but still counts them as present', () => {
    expect(cleanExternalIds({ Five9_Call_ID: '300000000000123', twilio_call_sid: 'CA123' }, keys)).toEqual({
      identifying: {},
      present: true,
    });
    expect(cleanExternalIds({ contact_id: '42', crm_id: 'C-1' }, keys)).toEqual({
      identifying: { crm_id: 'C-1' },
      present: true,
    });
  });

  it('compares non-identifying keys case-insensitively on both sides', () => {
    expect(cleanExternalIds({ session: 'abc', crm_id: 'C-1' }, [' SESSION '])).toEqual({
      identifying: { crm_id: 'C-1' },
      present: true,
    });
  });

  it('reports nothing present when every entry is absent', () => {
    const blank = { crm_id: '  ', email: '@Customer.Email@' };
    expect(cleanExternalIds(blank, keys)).toEqual({ identifying: {}, present: false });
    expect(cleanExternalIds({}, keys)).toEqual({ identifying: {}, present: false });
  });

  it.each([undefined, null, 'C-123', 42, ['C-123']])('treats non-object input %p as no external ids', (value) => {
    expect(cleanExternalIds(value, keys)).toEqual({ identifying: {}, present: false });
  });

  it('keeps the first spelling when two keys normalise to the same name', () => {
    expect(cleanExternalIds({ CRM_ID: 'first', crm_id: 'second' }, keys).identifying).toEqual({ crm_id: 'first' });
  });

  it('keeps a __proto__ key as ordinary data', () => {
    const { identifying } = cleanExternalIds(JSON.parse('{"__proto__": "x"}'), keys);
    expect(Object.keys(identifying)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(identifying)).toBe(Object.prototype);
  });
});
