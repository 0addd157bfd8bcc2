/** Logs never carry keys, phone numbers or variable values in clear. */
import { Writable } from 'node:stream';

import { createLogger, flatFieldsLogger, maskPhone } from '../../src/logging/logger';

function logOnce(fields: object): string {
  let written = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      written += String(chunk);
      done();
    },
  });
  createLogger('info', sink).info(fields, 'test');
  return written;
}

describe('log redaction', () => {
  it('censors keys, numbers and variable values wherever they appear', () => {
    const line = logOnce({
      req: { headers: { authorization: 'Bearer sk_test_secret', 'x-api-key': 'sk_test_other' } },
      ani: '+14155551234',
      body: {
        identity_hints: { ani: '4155551234', external_ids: { crm_id: 'C-77' } },
        variables: { name: 'John Doe' },
        dnis: '+18005550000',
      },
      input: { variables: { vip: 'gold' }, ani: '(415) 555-1234' },
    });
    for (const secret of ['sk_test_secret', 'sk_test_other', '5551234', '555-1234', 'John Doe', 'gold', 'C-77', '5550000']) {
      expect(line).not.toContain(secret);
    }
    expect(JSON.parse(line)).toMatchObject({ ani: '[redacted]', body: { variables: '[redacted]' } });
  });

  it('still censors keys, numbers and variable values named at the top level of a flat-fields line (the access log)', () => {
    let written = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        written += String(chunk);
        done();
      },
    });
    flatFieldsLogger(createLogger('info', sink)).info({ ani: '+14155551234', key: 'sk_test_secret', variables: { name: 'John Doe' }, route: '/v1/calls/start' }, 'request');
    for (const secret of ['5551234', 'sk_test_secret', 'John Doe']) expect(written).not.toContain(secret);
    expect(JSON.parse(written)).toMatchObject({ ani: '[redacted]', key: '[redacted]', variables: '[redacted]', route: '/v1/calls/start' });
  });

  it('masks phone numbers inside free text but the last two digits', () => {
    expect(maskPhone('no match for +1 (415) 555-1234 today')).toBe('no match for *********34 today');
    expect(maskPhone('call c-12 ended')).toBe('call c-12 ended');
  });
});
