/** What the request log keeps of bodies and issues: the shape, never numbers, variable values, tokens or keys. */
import { loggedIssues, MASK, maskBody, maskedBodyText, maskIdentity, maskMessage, MAX_BODY_CHARS } from '../../src/request-log/mask-body';

describe('request-log body masking', () => {
  it('masks identity hints to their last two digits, keeping keys and separators', () => {
    const masked = maskBody({ call_id: 'c-1', identity_hints: { ani: '+1 (415) 555-0123', dnis: 8005550100, external_ids: { crm_id: 'C-104299', email: 'a@b.c' } } });
    expect(masked).toEqual({
      call_id: 'c-1',
      identity_hints: { ani: '+* (***) ***-**23', dnis: '********00', external_ids: { crm_id: 'C-****99', email: 'a@b.c' } },
    });
  });

  it('replaces every variable value, at any depth, and keeps the variable names', () => {
    const body = { variables: { name: 'Sam', tier: { value: 'gold', ttl_seconds: 60 }, vip: true }, flat: { customer_name: 'Sam', context: 'Sam, 2 calls' } };
    expect(maskBody(body)).toEqual({
      variables: { name: MASK, tier: { value: MASK, ttl_seconds: MASK }, vip: MASK },
      flat: { customer_name: MASK, context: MASK },
    });
  });

  it('masks phone numbers anywhere in text, numbers and keys, and leaves ids that are no numbers', () => {
    const masked = maskBody({ note: 'call back on 415-555-0123', caller: 4155550123, '4155550123': 'x', call_id: 'CA1234567890abcdef', ref: '0199a3b2-7c1d-7e00-8000-000000000001' });
    expect(JSON.stringify(masked)).not.toMatch(/555/);
    expect(masked).toMatchObject({ call_id: 'CA1234567890abcdef', ref: '0199a3b2-7c1d-7e00-8000-000000000001' });
  });

  it('masks the screen-pop token, API keys and secret-named fields', () => {
    const masked = maskBody({
      screen_pop_url: 'https://cm.example/screen-pop/eyJhbGciOi.abc-DEF_123?x=1',
      note: 'key sk_prod_AbCdEf0123456789_xyz leaked',
      token: 'abc',
      api_key: 'whatever',
    });
    expect(masked).toEqual({ screen_pop_url: `https://cm.example/screen-pop/${MASK}?x=1`, note: `key sk_prod_${MASK} leaked`, token: MASK, api_key: MASK });
  });

  it('masks inside strings that hold JSON, and form fields as objects', () => {
    const masked = maskBody({ payload: JSON.stringify({ ani: '4155550123', variables: { name: 'Sam' } }) }) as { payload: string };
    expect(JSON.parse(masked.payload)).toEqual({ ani: '********23', variables: { name: MASK } });
    expect(maskBody(new Map([['ani', '4155550123']]))).toEqual({ ani: '********23' });
  });

  it('keeps a body’s JSON whole when short and a note of its size when too long', () => {
    expect(maskedBodyText(undefined)).toBeNull();
    expect(maskedBodyText({ a: 1 })).toBe('{"a":1}');
    const long = maskedBodyText({ text: 'x'.repeat(MAX_BODY_CHARS + 1) }) ?? '';
    expect(JSON.parse(long)).toEqual({ truncated: expect.stringContaining('characters') });
  });

  it('masks an identity hint of digits alone to its last two', () => {
    expect(maskIdentity('4155550123')).toBe('********23');
  });

  it('keeps issue paths of plain names and indexes, stars other keys, and masks quoted values and numbers in messages', () => {
    const issues = loggedIssues([
      { path: ['identity_hints', 'ani'], message: 'must be at most 64 characters' },
      { path: ['variables', '4155550123'], message: 'Unrecognized key: "4155550123"' },
      { path: ['external_ids', 0], message: "Required field 'call_id' is missing" },
      'nonsense',
    ]);
    expect(issues).toEqual([
      { path: 'identity_hints.ani', message: 'must be at most 64 characters' },
      { path: 'variables.*', message: `Unrecognized key: "${MASK}"` },
      { path: 'external_ids.0', message: "Required field 'call_id' is missing" },
    ]);
    expect(maskMessage('call 415-555-0123 back')).toBe('call ********23 back');
    expect(loggedIssues(undefined)).toEqual([]);
  });
});
