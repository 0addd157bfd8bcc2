/**
 * docs/dialogflow-cx.md: the flexible webhooks' request bodies the guide shows, with Dialogflow CX's
 * `$session.id` and `$session.params.x` references filled in, sent to a real listening service, and the
 * guide's response configuration (session parameter ← JSONPath) applied to the real answer.
 */
import { atPath, guideBlock, guideJson } from '../support/guides';
import { listeningApp, type ListeningApp } from '../support/listening-app';
import { ENGINES } from '../support/scratch-database';

interface Session {
  id: string;
  params: Record<string, string>;
}

/** Fills the references inside the body's strings; an unset parameter stays as written, as CX leaves it. */
function render(body: string, session: Session): string {
  return body.replace(/\$session\.(id|params\.([\w-]+))/g, (whole, _ref: string, param?: string) => {
    const value = param === undefined ? session.id : session.params[param];
    return value === undefined ? whole : JSON.stringify(value).slice(1, -1);
  });
}

/** The guide's response configuration applied to the answer: each session parameter from its path. */
function mapInto(answer: unknown, mapping: string, session: Session): void {
  for (const [param, path] of Object.entries(guideJson<Record<string, string>>('dialogflow-cx.md', mapping))) {
    const value = atPath(answer, path);
    expect([param, value === undefined]).toEqual([param, false]);
    session.params[param] = String(value);
  }
}

describe.each(ENGINES)('the Dialogflow CX guide on %s', (engine) => {
  let s: ListeningApp;
  beforeAll(async () => {
    s = await listeningApp(engine);
  });
  afterAll(() => s.close());

  it('starts, ends and recognises the caller through the flexible webhooks the guide shows', async () => {
    const session: Session = { id: 'a1f0c3e2-5b6d-4c7e-8f90-123456789abc', params: { caller_id: '+14155550147' } };
    const start = await s.post('/v1/calls/start?format=flat', render(guideBlock('dialogflow-cx.md', 'start-body'), session));
    expect(start.status).toBe(200);
    mapInto(start.answer, 'start-mapping', session);
    expect(session.params).toMatchObject({ cm_recommendation: 'ignore', cm_customer_name: '', cm_context: 'First call.', cm_attempt_count: '0' });

    Object.assign(session.params, { cm_intent: 'Change address', cm_intent_status: 'resolved', cm_customer_name: 'Kim' });
    const end = await s.post('/v1/calls/end', render(guideBlock('dialogflow-cx.md', 'end-body'), session));
    expect(end.status).toBe(200);
    mapInto(end.answer, 'end-mapping', session);
    expect(session.params.cm_intents_updated).toBe('1');

    const next: Session = { id: 'b2e1d4f3-6c7e-4d8f-9a01-23456789abcd', params: { caller_id: '+14155550147' } };
    const again = await s.post('/v1/calls/start?format=flat', render(guideBlock('dialogflow-cx.md', 'start-body'), next));
    mapInto(again.answer, 'start-mapping', next);
    expect(next.params).toMatchObject({ cm_customer_ref: session.params.cm_customer_ref, cm_recommendation: 'confirm', cm_customer_name: 'Kim', cm_open_intents: '' });
    expect(next.params.cm_context).toMatch(/^Last called today/);
  });

  it('writes nothing for session parameters the flow never set (left as $session.params.x)', async () => {
    const session: Session = { id: 'c3f2e5a4-7d8f-4e9a-8b12-3456789abcde', params: { caller_id: '+14155550147' } };
    await s.post('/v1/calls/start?format=flat', render(guideBlock('dialogflow-cx.md', 'start-body'), session));
    const body = render(guideBlock('dialogflow-cx.md', 'end-body'), session);
    expect(body).toContain('"$session.params.cm_intent"');
    const end = await s.post('/v1/calls/end', body);
    expect([end.status, end.answer.intents_updated, end.answer.variables_updated]).toEqual([200, 0, 0]);
  });
});
