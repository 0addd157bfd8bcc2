/**
 * The Five9 walk-through of docs/five9.md (section 8, the bodies exactly as the guide's curl commands send
 * them) across two instances on one PostgreSQL database, as a load balancer without sticky sessions would
 * spread it: every state a request needs is in the database, none in the instance that served the last one.
 */
import { docsFile } from '../support/guides';
import { twoInstances, type Instance, type TwoInstances } from '../support/two-instances';

/** The guide's curl commands of section 8: their `-d '…'` JSON bodies and `--data-urlencode` forms, in order. */
function guideBodies(): { json: string[]; form: URLSearchParams } {
  const section = docsFile('five9.md').split('## 8. Testing with curl')[1] ?? '';
  const json = [...section.matchAll(/-d '(\{[\s\S]*?\})'/g)].map((m) => m[1].replace(/\n\s*/g, ' '));
  const form = new URLSearchParams([...section.matchAll(/--data-urlencode '([^=]+)=([^']*)'/g)].map((m) => [m[1], m[2]] as [string, string]));
  return { json, form };
}

describe('the Five9 flow across two instances on one PostgreSQL database', () => {
  let two: TwoInstances;
  const { json, form } = guideBodies();
  const [startBody, endTemplate, nextStartBody] = json;

  beforeAll(async () => {
    // Behind a load balancer every instance is reached under one public name; PUBLIC_URL says it, so links
    // in answers (and their replays) do not name the instance that happened to serve the request.
    two = await twoInstances({ PUBLIC_URL: 'https://memory.example.com' });
  });
  afterAll(() => two.close());

  const send = async (on: Instance, path: string, body: string | URLSearchParams) => {
    const res = await fetch(`${on.origin}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${two.key}`, ...(typeof body === 'string' ? { 'Content-Type': 'application/json' } : {}) },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('reads the three JSON bodies and the form-encoded retry from the guide', () => {
    expect(json).toHaveLength(3);
    expect(form.get('call_id')).toBe('five9-1');
  });

  it('starts on A, replays the retried start on B, ends on B, replays the end on A, and recognises the caller on either', async () => {
    const start = await send(two.a, '/v1/calls/start', startBody);
    expect(start.status).toBe(200);
    const ref = start.body.customer_ref as string;
    expect((start.body.flat as Record<string, string>).context).toBe('First call.');

    // The connector's form-encoded retry of the same start, sent to the other instance: the first answer.
    const retried = await send(two.b, '/v1/calls/start', form);
    expect(retried).toEqual(start);

    const endBody = endTemplate.replace('<customer_ref>', ref);
    const end = await send(two.b, '/v1/calls/end', endBody);
    expect(end.status).toBe(200);
    expect(end.body).toMatchObject({ call_id: 'five9-1', customer_ref: ref, intents_updated: 1, variables_updated: 2 });
    expect(await send(two.a, '/v1/calls/end', endBody)).toEqual(end);

    for (const [on, callId] of [
      [two.a, 'five9-2'],
      [two.b, 'five9-3'],
    ] as const) {
      const next = await send(on, '/v1/calls/start?format=flat', nextStartBody.replace('five9-2', callId));
      expect(next.status).toBe(200);
      expect(next.body).toMatchObject({
        customer_ref: ref,
        recommendation: 'confirm',
        is_returning: 'true',
        customer_name: 'John Doe',
        last_intent: 'refund_request',
        last_intent_status: 'resolved',
      });
    }
  });

  it('opens on B the screen pop linked in an answer from A', async () => {
    const start = await send(two.a, '/v1/calls/start', startBody.replace('five9-1', 'five9-pop'));
    const link = new URL((start.body.flat as Record<string, string>).screen_pop_url);
    const page = await fetch(`${two.b.origin}${link.pathname}`);
    expect(page.status).toBe(200);
    // The caller of the walk-through above, as B reads them from the shared database.
    expect(await page.text()).toContain('John Doe');
  });
});
