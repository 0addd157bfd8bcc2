/**
 * Regression (found by the whole-run log grep): platforms build call ids from the caller's number
 * (Voiceflow's `{ani}-{timestamp}`), and the access log wrote the call id as sent, number and all. A phone
 * number inside a logged call id is masked to its last two digits; ids that are no phone number stay whole.
 */
import request from 'supertest';

import { loggableCallId } from '../../src/http/request-log';
import { createLoggedApp, type LoggedApp } from '../support/logged-app';

describe('a call id in the access log', () => {
  let app: LoggedApp;

  beforeAll(async () => {
    app = await createLoggedApp();
  });
  afterAll(() => app.close());

  const loggedCallId = async (callId: string) => {
    app.lines.length = 0;
    const res = await request(app.built.app)
      .post('/v1/calls/start')
      .set('Authorization', `Bearer ${app.secret}`)
      .send({ call_id: callId, identity_hints: { ani: 'anonymous' } });
    expect(res.status).toBe(200);
    return app.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request')?.callId as string;
  };

  it('masks a caller number that a platform put into the call id', async () => {
    const logged = await loggedCallId('+14155550146-1770460200');
    expect(logged).not.toMatch(/4155550146|1770460200/);
    expect(logged).toMatch(/46-\**00$/);
  });

  it('masks a number written with separators, national or international', () => {
    expect(loggableCallId('call (415) 555-0142 #2')).not.toMatch(/555.?0142/);
    expect(loggableCallId('1-415-555-0142')).not.toContain('555-0142');
    expect(loggableCallId('uk-+44 20 7946 0958')).not.toContain('7946');
    expect(loggableCallId('uk-07700 900123')).not.toContain('900123');
  });

  it('keeps call ids that hold no phone number whole: Five9 numbers, UUIDs, short counters', async () => {
    expect(await loggedCallId('300000000123')).toBe('300000000123');
    expect(loggableCallId('9d8c7b6a-0000-4000-8000-000000000002')).toBe('9d8c7b6a-0000-4000-8000-000000000002');
    expect(loggableCallId('five9-1')).toBe('five9-1');
    expect(loggableCallId('CA1234567890abcdef1234567890abcdef')).toBe('CA1234567890abcdef1234567890abcdef');
  });
});
