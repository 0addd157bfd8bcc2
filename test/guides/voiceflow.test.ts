/**
 * docs/voiceflow.md: the API step bodies the guide shows, with Voiceflow's `{variable}` substitution, sent
 * to a real listening service, and the guide's response capture applied to the real answer.
 */
import { atPath, guideBlock, guideJson } from '../support/guides';
import { listeningApp, type ListeningApp } from '../support/listening-app';
import { ENGINES } from '../support/scratch-database';

/** Voiceflow's substitution: each `{name}` becomes the variable's value, as it is (no escaping). */
function substitute(body: string, variables: Record<string, string>): string {
  return body.replace(/\{(\w+)\}/g, (whole, name: string) => variables[name] ?? whole);
}

/** The guide's capture: answer path (`response.x`) → variable. */
function capture(answer: unknown, variables: Record<string, string>): void {
  for (const [path, variable] of Object.entries(guideJson<Record<string, string>>('voiceflow.md', 'start-capture'))) {
    const value = atPath({ response: answer }, path);
    expect([path, typeof value]).toEqual([path, 'string']);
    variables[variable] = value as string;
  }
}

describe.each(ENGINES)('the Voiceflow guide on %s', (engine) => {
  let s: ListeningApp;
  beforeAll(async () => {
    s = await listeningApp(engine);
  });
  afterAll(() => s.close());

  it('starts, ends and recognises the caller with the bodies and capture the guide shows', async () => {
    // What the guide's Set step leaves: every cm_ variable empty, the call id from user and timestamp.
    const variables: Record<string, string> = {
      user_id: '+14155550146',
      timestamp: '1770460200',
      cm_call_id: '+14155550146-1770460200',
      cm_customer_ref: '',
      cm_recommendation: '',
      cm_customer_name: '',
      cm_open_intents: '',
      cm_context: '',
      cm_intent: '',
      cm_intent_status: '',
    };
    const start = await s.post('/v1/calls/start?format=flat', substitute(guideBlock('voiceflow.md', 'start-body'), variables));
    expect(start.status).toBe(200);
    capture(start.answer, variables);
    expect(variables).toMatchObject({ cm_recommendation: 'ignore', cm_customer_name: '', cm_context: 'First call.' });
    expect(variables.cm_customer_ref).toMatch(/^[0-9a-f-]{36}$/);

    // The flow learnt an intent and the caller's name.
    Object.assign(variables, { cm_intent: 'Order status', cm_intent_status: 'open', cm_customer_name: 'Robin' });
    const end = await s.post('/v1/calls/end', substitute(guideBlock('voiceflow.md', 'end-body'), variables));
    expect([end.status, end.answer]).toEqual([200, expect.objectContaining({ customer_ref: variables.cm_customer_ref, intents_updated: 1, variables_updated: 1 })]);

    // The next conversation, as the guide's section 4 says.
    const next = { ...variables, timestamp: '1770463800', cm_call_id: '+14155550146-1770463800' };
    const again = await s.post('/v1/calls/start?format=flat', substitute(guideBlock('voiceflow.md', 'start-body'), next));
    capture(again.answer, next);
    expect(next).toMatchObject({ cm_customer_ref: variables.cm_customer_ref, cm_recommendation: 'confirm', cm_customer_name: 'Robin', cm_open_intents: 'order_status' });
  });

  it('writes nothing for the cm_ variables the Set step left empty', async () => {
    const variables = { user_id: '+14155550146', cm_call_id: 'vf-empty-1', cm_customer_ref: '', cm_intent: '', cm_intent_status: '', cm_customer_name: '' };
    await s.post('/v1/calls/start?format=flat', substitute(guideBlock('voiceflow.md', 'start-body'), variables));
    const end = await s.post('/v1/calls/end', substitute(guideBlock('voiceflow.md', 'end-body'), variables));
    expect([end.status, end.answer.intents_updated, end.answer.variables_updated]).toEqual([200, 0, 0]);
  });
});
