/**
 * Opens a screen-pop link: checks the token, then reads what the page shows in a few indexed queries
 * (screen-pop.sql.ts). Reads only: opening a link never changes anything.
 */
import type { EntityManager } from '@mikro-orm/core';

import { contextLine, isNotesName, type ContextSource } from '../calls/context-line';
import type { StartSnapshot } from '../calls/call.entity';
import { customerById } from '../customers/customer.sql';
import { followMerges } from '../customers/merged';
import { sqlOf, type Sql } from '../db/sql';
import type { Services } from '../services';
import { canonicalTimeZone } from '../shared/time-zone';
import type { Tenant } from '../tenancy/environment';
import type { ScreenPopLinks } from './screen-pop-links';
import type { ScreenPopClaims } from './screen-pop-token';
import type { ScreenPopData } from './screen-pop.view-model';
import { callsBefore, earlierCalls, externalKeys, nthLatestReport, organisationTimeZone, pageCall, type PageCall } from './screen-pop.sql';

/** How many earlier calls the page lists. */
export const HISTORY_LENGTH = 10;

/** What a link opens: the page's data, or why it cannot be shown. */
export type ScreenPopLookup = { kind: 'page'; data: ScreenPopData } | { kind: 'invalid' } | { kind: 'expired' };

/** The context line as the start answered it, rebuilt from the call's stored snapshot. */
function startContext(call: PageCall, snapshot: StartSnapshot): string {
  const upper = (status: string) => status.toUpperCase();
  const source: ContextSource = {
    call: { startedAt: call.startedAt.toISOString() },
    previousCallAt: snapshot.previousCallAt ?? null,
    lastIntent: snapshot.lastIntent ? { name: snapshot.lastIntent.name, status: upper(snapshot.lastIntent.status) } : null,
    openIntents: snapshot.openIntents.map((i) => ({ name: i.name, status: upper(i.status), attemptCount: i.attemptCount })),
    variables: snapshot.variables,
  };
  return contextLine(source);
}

/** Reads screen pops. */
export class ScreenPopService {
  constructor(
    private readonly links: ScreenPopLinks,
    private readonly services: Services,
  ) {}

  /** What the link with this token shows, if it is valid and its call is still where it names. */
  async open(em: EntityManager, token: string): Promise<ScreenPopLookup> {
    const check = this.links.check(token);
    if (!check.ok) return { kind: check.reason === 'expired' ? 'expired' : 'invalid' };
    const sql = sqlOf(em);
    const { claims } = check;
    const tenant: Tenant = { organisationId: claims.organisationId, environment: claims.environment };
    const call = await pageCall(sql, tenant, claims.callRowId);
    if (!call) return { kind: 'invalid' };
    const mergedSince = call.customerId !== claims.customerId;
    if (mergedSince && !(await this.mergedInto(sql, tenant, claims, call.customerId))) return { kind: 'invalid' };
    return { kind: 'page', data: await this.read(sql, tenant, call, mergedSince) };
  }

  /** True when the link's customer was merged into the customer the call now belongs to. */
  private async mergedInto(sql: Sql, tenant: Tenant, claims: ScreenPopClaims, customerId: string): Promise<boolean> {
    const named = await customerById(sql, tenant, claims.customerId);
    const survivor = await followMerges(named, (id) => customerById(sql, tenant, id));
    return survivor?.id === customerId;
  }

  private async read(sql: Sql, tenant: Tenant, call: PageCall, mergedSince: boolean): Promise<ScreenPopData> {
    const now = this.services.clock.now();
    const { intents, variables } = this.services;
    const [timeZone, history, live, recent, earlier, keys] = await Promise.all([
      organisationTimeZone(sql, tenant.organisationId),
      intents.history(sql, tenant, call.customerId, now),
      variables.live(sql, tenant, call.customerId, now),
      callsBefore(sql, tenant, call, HISTORY_LENGTH),
      earlierCalls(sql, tenant, call),
      call.sources.includes('external_id') ? externalKeys(sql, tenant, call.customerId) : Promise.resolve([]),
    ]);
    const openIntents = await Promise.all(
      history.open.map(async (i) => ({
        name: i.name,
        status: i.status,
        attemptCount: i.attemptCount,
        // One attempt: its report is the last update. More: the call that made the run's first report.
        firstRaisedAt: i.attemptCount > 1 ? ((await nthLatestReport(sql, tenant, call.customerId, i.name, i.attemptCount)) ?? i.createdAt) : i.updatedAt,
        lastRaisedAt: i.updatedAt,
      })),
    );
    const notesBy = new Map(live.filter((v) => isNotesName(v.name) && v.lastCallId).map((v) => [v.lastCallId!, v.value]));
    return {
      now,
      timeZone: canonicalTimeZone(timeZone ?? 'UTC') ?? 'UTC',
      call,
      mergedSince,
      earlier,
      // The keys that existed before the call and were matched since it started: what it matched on.
      matchedKeys: keys.filter((k) => k.createdAt < call.startedAt && k.lastSeenAt >= call.startedAt).map((k) => k.key),
      openIntents,
      variables: live.map((v) => ({ name: v.name, value: v.value, source: v.source, updatedAt: v.updatedAt })),
      recentCalls: recent.map((c) => ({ ...c, notes: notesBy.get(c.callId) ?? null })),
      context: call.startSnapshot ? startContext(call, call.startSnapshot) : null,
    };
  }
}
