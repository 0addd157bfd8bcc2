/**
 * docs/amazon-connect.md: the Lambda the guide shows (docs/amazon-connect/lambda.mjs, the same text) run
 * with the contact-flow events the guide shows against a real listening service: the flat attributes it
 * returns, the end from the disconnect flow, a safe retry after a timed-out attempt, and the fallback when
 * the service cannot be reached.
 */
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

import { FLAT_FIELDS } from '../../src/calls/calls.answers';
import { docsFile, docsPath, guideBlock, guideJson } from '../support/guides';
import { listeningApp, listenOnLoopback, type ListeningApp } from '../support/listening-app';
import { contractOf } from '../support/openapi-contract';
import { ENGINES } from '../support/scratch-database';

type ConnectEvent = { Details: { ContactData: { ContactId: string; Attributes: Record<string, string> }; Parameters: Record<string, string> } };
type Handler = (event: ConnectEvent) => Promise<Record<string, string>>;

const FLAT_KEYS = FLAT_FIELDS.map((f) => f.name);

/** The Lambda exactly as the guide ships it. */
async function loadHandler(): Promise<Handler> {
  return ((await import(pathToFileURL(docsPath('amazon-connect/lambda.mjs')).href)) as { handler: Handler }).handler;
}

/** Runs the Lambda with its environment set as the guide says (CM_BASE_URL, CM_API_KEY and the rest in `env`). */
async function invokeWith(handler: Handler, event: ConnectEvent, env: Record<string, string>): Promise<Record<string, string>> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await handler(event);
  } finally {
    process.env = saved;
  }
}

describe.each(ENGINES)('the Amazon Connect guide on %s', (engine) => {
  let s: ListeningApp;
  let handler: Handler;

  const invoke = (event: ConnectEvent, env: Record<string, string> = {}) => invokeWith(handler, event, { CM_BASE_URL: `${s.origin}/v1`, CM_API_KEY: s.key, ...env });

  beforeAll(async () => {
    s = await listeningApp(engine);
    handler = await loadHandler();
  });
  afterAll(() => s.close());

  it('shows the Lambda file exactly as it is in the repository', () => {
    expect(guideBlock('amazon-connect.md', 'lambda')).toBe(docsFile('amazon-connect/lambda.mjs'));
  });

  it('returns the flat answer as a flat map of strings for the start event, then records the end, then recognises the caller', async () => {
    const contract = contractOf(JSON.stringify((await (await fetch(`${s.origin}/openapi.json`)).json()) as unknown));
    const first = await invoke(guideJson<ConnectEvent>('amazon-connect.md', 'start-event'));
    expect(Object.keys(first)).toEqual([...FLAT_KEYS, 'cm_ok', 'cm_error']);
    expect(Object.values(first).every((v) => typeof v === 'string')).toBe(true);
    const { cm_ok: ok, cm_error: error, ...flat } = first;
    expect([ok, error]).toEqual(['true', '']);
    expect(contract.validator('/components/schemas/FlatStartAnswer')(flat)).toBe(true);
    expect(flat).toMatchObject({ confidence: '0', recommendation: 'ignore', is_returning: 'false', call_count: '1', context: 'First call.' });

    // The disconnect flow, with the ref the inbound flow stored as a contact attribute.
    const endEvent = guideJson<ConnectEvent>('amazon-connect.md', 'end-event');
    endEvent.Details.ContactData.Attributes.customer_ref = flat.customer_ref;
    expect(await invoke(endEvent)).toEqual({ cm_ok: 'true', intents_updated: '1', variables_updated: '2' });
    // A retried end with the same attributes replays the stored answer.
    expect(await invoke(endEvent)).toEqual({ cm_ok: 'true', intents_updated: '1', variables_updated: '2' });

    const next = guideJson<ConnectEvent>('amazon-connect.md', 'start-event');
    next.Details.ContactData.ContactId = '9d8c7b6a-0000-4000-8000-000000000002';
    const again = await invoke(next);
    expect(again).toMatchObject({
      customer_ref: flat.customer_ref,
      recommendation: 'confirm',
      is_returning: 'true',
      customer_name: 'Dana Smith',
      last_intent: 'refund_request',
      last_intent_status: 'resolved',
      call_count: '2',
      cm_ok: 'true',
    });
  });

  it('retries a timed-out attempt with the same call_id and gets the first answer, not a second call', async () => {
    // A proxy that holds the service's first answer past the Lambda's attempt timeout, then lets all through.
    let seen = 0;
    const proxy = createServer(async (req, res) => {
      seen += 1;
      const held = seen === 1;
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await fetch(`${s.origin}${req.url}`, { method: 'POST', headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
      const text = await answer.text();
      if (held) await new Promise((resolve) => setTimeout(resolve, 1_500));
      if (!res.destroyed) res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
    });
    const proxyOrigin = await listenOnLoopback(proxy);
    try {
      const event = guideJson<ConnectEvent>('amazon-connect.md', 'start-event');
      event.Details.ContactData.ContactId = 'retry-0000-4000-8000-000000000003';
      const result = await invoke(event, { CM_BASE_URL: `${proxyOrigin}/v1`, CM_ATTEMPT_TIMEOUT_MS: '500', CM_BUDGET_MS: '5000' });
      expect(seen).toBeGreaterThanOrEqual(2);
      expect(result.cm_ok).toBe('true');
      // The service recorded one call: a direct start for the same contact replays the same answer.
      const direct = await invoke(event);
      expect(direct).toEqual(result);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

// No service and no database here (a closed port, a stand-in answering 503): once, not once per engine.
describe('the Amazon Connect guide’s Lambda without a working service', () => {
  let handler: Handler;
  const invoke = (event: ConnectEvent, env: Record<string, string>) => invokeWith(handler, event, { CM_API_KEY: 'sk_test_unused', ...env });

  beforeAll(async () => {
    handler = await loadHandler();
  });

  it('returns the same keys as an unknown caller, with cm_ok false, when the service cannot be reached', async () => {
    const closed = createServer();
    const deadOrigin = await listenOnLoopback(closed);
    await new Promise((resolve) => closed.close(resolve));
    const result = await invoke(guideJson<ConnectEvent>('amazon-connect.md', 'start-event'), { CM_BASE_URL: `${deadOrigin}/v1`, CM_BUDGET_MS: '1000' });
    expect(Object.keys(result)).toEqual([...FLAT_KEYS, 'cm_ok', 'cm_error']);
    expect(result).toMatchObject({ recommendation: 'ignore', confidence: '0', is_returning: 'false', customer_ref: '', cm_ok: 'false' });
    // Counts read as numbers in a flow's comparisons: an unknown caller's, not empty strings.
    expect(result).toMatchObject({ open_intent_count: '0', attempt_count: '0', call_count: '0' });
    expect(result.cm_error).not.toBe('');
  });

  it('waits between retries, so a service answering 503 gets a few attempts per contact, not a burst of thousands', async () => {
    let attempts = 0;
    const busy = createServer((req, res) => {
      attempts += 1;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"Service Unavailable","message":"busy"}');
    });
    const busyOrigin = await listenOnLoopback(busy);
    try {
      const result = await invoke(guideJson<ConnectEvent>('amazon-connect.md', 'start-event'), { CM_BASE_URL: `${busyOrigin}/v1`, CM_BUDGET_MS: '2000' });
      expect(result).toMatchObject({ cm_ok: 'false', cm_error: 'HTTP 503: busy', recommendation: 'ignore' });
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(attempts).toBeLessThanOrEqual(6);
    } finally {
      busy.closeAllConnections();
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
