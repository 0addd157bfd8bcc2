import { maskE164, readAni } from '../../src/identity/phone-number';

describe('readAni', () => {
  const usForms = ['4155551234', '(415) 555-1234', '1-415-555-1234', '+1 (415) 555-1234', '+14155551234', 'tel:+14155551234'];

  it.each([...usForms, 4155551234])('reads the US number %p as +14155551234', (value) => {
    expect(readAni(value, 'US')).toEqual({ kind: 'number', raw: String(value), e164: '+14155551234' });
  });

  it('reads a form-decoded + (a leading space) as an international number', () => {
    expect(readAni(' 16175551212', 'US')).toEqual({ kind: 'number', raw: '16175551212', e164: '+16175551212' });
    expect(readAni(' 14155551234', 'GB')).toMatchObject({ kind: 'number', e164: '+14155551234' });
  });

  it('reads E.164 digits sent without the + when the default region cannot', () => {
    expect(readAni('442079460958', 'US')).toMatchObject({ kind: 'number', e164: '+442079460958' });
  });

  it('reads UK numbers in international form, and in national form with region GB', () => {
    expect(readAni('+44 20 7946 0958', 'US')).toMatchObject({ kind: 'number', e164: '+442079460958' });
    expect(readAni('020 7946 0958', 'GB')).toMatchObject({ kind: 'number', e164: '+442079460958' });
    expect(readAni('020 7946 0958', 'gb')).toMatchObject({ kind: 'number', e164: '+442079460958' });
  });

  it('reads the user part of a SIP URI', () => {
    expect(readAni('sip:+14155551234@10.0.0.1', 'US')).toMatchObject({ kind: 'number', e164: '+14155551234' });
    const nameAddr = '<sip:+14155551234@carrier.example;user=phone>';
    expect(readAni(nameAddr, 'US')).toMatchObject({ kind: 'number', e164: '+14155551234' });
  });

  it('drops an extension from the stored number', () => {
    expect(readAni('4155551234 ext 12', 'US')).toMatchObject({ kind: 'number', e164: '+14155551234' });
  });

  it.each([undefined, null, '', '   ', 'null', '$(call.ani)', '{{caller_phone}}', '@Call.ANI@'])(
    'treats %p as an absent ANI',
    (value) => {
      expect(readAni(value, 'US')).toEqual({ kind: 'absent' });
    },
  );

  it.each([
    'anonymous',
    'Anonymous',
    'RESTRICTED',
    'private',
    'unavailable',
    'unknown',
    'withheld',
    'blocked',
    '<anonymous>',
    ' "Restricted" ',
    '(unknown)',
  ])('treats the withheld marker %p as present but withheld', (value) => {
    expect(readAni(value, 'US')).toEqual({ kind: 'withheld', raw: value.trim() });
  });

  it.each([
    '0000000000',
    '+0000000',
    '000',
    '+1 000 000 0000',
    '12345',
    '555-12',
    'Private Number',
    'sip:alice@example.com',
    '415555123',
    '1-800-FLOWERS',
  ])('treats the unusable number %p as withheld', (value) => {
    expect(readAni(value, 'US')).toEqual({ kind: 'withheld', raw: value });
  });
});

describe('maskE164', () => {
  it('hides all but the last two digits and keeps the +', () => {
    expect(maskE164('+14155551234')).toBe('+*********34');
    expect(maskE164('+442079460958')).toBe('+**********58');
  });
});
