/**
 * Realistic callers for the screen-pop tests, made through the real REST API on a clock moved by hand:
 * Dana Smith (a VIP with twelve calls and a refund chased a second time), Sam Lee (known by number only,
 * so `confirm`), and new callers. One organisation (REST and GraphQL clients share it).
 */
import request from 'supertest';

import type { ManualClock } from '../../src/shared/clock';
import { Environment } from '../../src/tenancy/environment';
import { makeKey, makeOrganisation } from '../support/factories';
import type { TestApp } from '../support/test-app';

/** "Now" in these tests: the moment the current calls start. */
export const NOW = new Date('2026-02-07T10:30:00.000Z');
const DAY = 86_400_000;
const YEAR_SECONDS = 365 * 86_400;

/** Posts to the REST shim of one organisation, against any app on its database. */
export interface CallerApi {
  key: string;
  slug: string;
  start(body: object, app?: TestApp['app'], path?: string): Promise<request.Response>;
  end(body: object): Promise<request.Response>;
}

/** A new organisation and key (test environment unless told) and a REST client for it. */
export async function callerApi(t: TestApp, environment = Environment.TEST): Promise<CallerApi> {
  const em = t.orm.em.fork();
  const organisation = await makeOrganisation(t.keys, em);
  const { secret } = await makeKey(t.keys, em, organisation, { environment });
  const post = (app: TestApp['app'], path: string, body: object) =>
    request(app).post(path).set('Authorization', `Bearer ${secret}`).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const ok = async (res: request.Response | Promise<request.Response>) => {
    const answer = await res;
    if (answer.status !== 200) throw new Error(`${answer.status}: ${answer.text}`);
    return answer;
  };
  return {
    key: secret,
    slug: organisation.slug,
    start: (body, app = t.app, path = '/v1/calls/start') => ok(post(app, path, body)),
    end: (body) => ok(post(t.app, '/v1/calls/end', body)),
  };
}

/** Dana's hints: her mobile number and CRM id (with both, a recent caller scores 0.95, `reuse`). */
export const DANA_HINTS = { identity_hints: { ani: '+1 617 555 0100', external_ids: { crm_id: 'C-1001' } }, telco: { line_type: 'mobile' } };

const crm = (value: string) => ({ value, ttl_seconds: YEAR_SECONDS, source: 'crm' });

/** Dana's earlier calls: [days before NOW, minutes long, what the end reported]. */
const DANA_HISTORY: [number, number, object][] = [
  [40, 6, { intent: 'billing_question', intent_status: 'resolved', variables: { name: crm('Dana Smith'), tier: crm('VIP'), preferred_language: crm('English') } }],
  [33, 3, { intent: 'address_change', intent_status: 'resolved' }],
  [27, 4, { intent: 'order_status', intent_status: 'resolved' }],
  [21, 5, { intent: 'order_status', intent_status: 'resolved' }],
  [18, 7, { intent: 'payment_failed', intent_status: 'resolved', variables: { last_summary: 'Card declined; updated the card on file (ending 4421).' } }],
  [15, 9, { intent: 'delivery_issue', intent_status: 'resolved', variables: { csat: 4 } }],
  [12, 2, { intent: 'delivery_issue', intent_status: 'resolved' }],
  [9, 4, { intent: 'order_status', intent_status: 'resolved', variables: { csat: 5 } }],
  [7, 1, {}],
  [5, 11, { intent: 'refund_request', variables: { last_summary: 'Refund for order 77-1043 ($129.00) not received; promised a callback within 48 hours.', csat: 2 } }],
  [2, 8, { intent: 'refund_request', variables: { last_summary: 'Chased the refund for order 77-1043; finance escalated it (ticket FIN-5521).', csat: 3 } }],
];

/** Seeds Dana's twelve earlier calls (one never ended), then leaves the clock at NOW. */
export async function seedDana(api: CallerApi, clock: ManualClock, prefix = 'dana'): Promise<void> {
  for (const [daysAgo, minutes, outcome] of DANA_HISTORY) {
    // Mornings, an hour and a half before the current call's time of day.
    clock.set(new Date(NOW.getTime() - daysAgo * DAY - 90 * 60_000));
    const callId = `${prefix}-${daysAgo}d`;
    await api.start({ call_id: callId, ...DANA_HINTS });
    clock.advance(minutes * 60_000 + 17_000);
    // The 7-day-old call hung up in the IVR: started, never ended.
    if (daysAgo !== 7) await api.end({ call_id: callId, ...outcome });
  }
  // A twelfth, standalone end recorded by the CRM (no start): a note from a back-office callback.
  clock.set(new Date(NOW.getTime() - 1 * DAY));
  await api.end({ call_id: `${prefix}-callback`, identity_hints: DANA_HINTS.identity_hints, variables: { callback_note: 'Left a voicemail about the refund.' } });
  clock.set(NOW);
}

/** Sam Lee: one resolved call three days ago by number only; calling again scores 0.4 (`confirm`). */
export async function seedSam(api: CallerApi, clock: ManualClock): Promise<void> {
  clock.set(new Date(NOW.getTime() - 3 * DAY));
  await api.start({ call_id: 'sam-1', identity_hints: { ani: '(415) 555-0199' } });
  clock.advance(5 * 60_000);
  await api.end({ call_id: 'sam-1', intent: 'order_status', intent_status: 'resolved', variables: { name: 'Sam Lee' } });
  clock.set(NOW);
}

/** Sam's hints for the current call. */
export const SAM_HINTS = { identity_hints: { ani: '4155550199' } };

/** A caller nobody has seen. */
export const NEW_CALLER_HINTS = { identity_hints: { ani: '+1 212 555 0142' } };

/** The path of an absolute link (supertest requests the app, not the link's host). */
export function pathOf(link: string): string {
  return new URL(link).pathname;
}
