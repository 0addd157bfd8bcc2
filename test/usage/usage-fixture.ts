/**
 * An organisation with a test key and a prod key on a listening app (real HTTP: concurrent requests are
 * concurrent), its quota set in the organisations table as an admin would, and its usage rows read back.
 */
import { createServer, type Server } from 'node:http';

import type { MikroORM } from '@mikro-orm/core';

import { Environment } from '../../src/tenancy/environment';
import { makeKey, makeOrganisation } from '../support/factories';
import { listenOnLoopback } from '../support/listening-app';
import type { TestApp } from '../support/test-app';

/** A request's status and parsed answer. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One organisation's keys on one listening app. */
export interface UsageOrg {
  organisationId: string;
  keys: Record<Environment, string>;
  /** POSTs JSON with the environment's key (test unless told). */
  post(path: string, body: unknown, environment?: Environment): Promise<Answer>;
  /** DELETEs with the test key (an erasure). */
  del(path: string): Promise<Answer>;
  /** The same organisation's keys on another app (a second instance on the same database). */
  on(other: TestApp): Promise<UsageOrg>;
  close(): Promise<void>;
}

async function serve(t: TestApp, organisationId: string, keys: Record<Environment, string>): Promise<UsageOrg> {
  const server: Server = createServer(t.app);
  const origin = await listenOnLoopback(server);
  return {
    organisationId,
    keys,
    async post(path, body, environment = Environment.TEST) {
      const response = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${keys[environment]}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async del(path) {
      const response = await fetch(`${origin}${path}`, { method: 'DELETE', headers: { Authorization: `Bearer ${keys[Environment.TEST]}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    on: (other) => serve(other, organisationId, keys),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A new organisation with one key per environment, served by `t`. */
export async function usageOrg(t: TestApp): Promise<UsageOrg> {
  const em = t.orm.em.fork();
  const organisation = await makeOrganisation(t.keys, em);
  const test = await makeKey(t.keys, em, organisation);
  const prod = await makeKey(t.keys, em, organisation, { environment: Environment.PROD });
  return serve(t, organisation.id, { [Environment.TEST]: test.secret, [Environment.PROD]: prod.secret });
}

/** Sets the organisation's own monthly quota (null: the configured default) and forgets the apps' cached limits. */
export async function setQuota(apps: TestApp[], organisationId: string, quota: number | null): Promise<void> {
  await apps[0]!.orm.em.getConnection().execute('update organisations set monthly_quota = ? where id = ?', [quota, organisationId]);
  for (const app of apps) app.services.limits.forget(organisationId);
}

/** Sets what the organisation used in a month, as if that many starts and ends had been counted. */
export async function setUsed(orm: MikroORM, organisationId: string, month: string, used: number): Promise<void> {
  const connection = orm.em.getConnection();
  await connection.execute('delete from usage_months where organisation_id = ? and month = ?', [organisationId, month]);
  await connection.execute('insert into usage_months (organisation_id, month, used) values (?, ?, ?)', [organisationId, month, used]);
}

/** The organisation's counter for a month (0 without a row). */
export async function usedIn(orm: MikroORM, organisationId: string, month: string): Promise<number> {
  const rows = (await orm.em.getConnection().execute('select used from usage_months where organisation_id = ? and month = ?', [organisationId, month])) as { used: number }[];
  return Number(rows[0]?.used ?? 0);
}

/** The organisation's day rows, `environment day starts ends identified`, ordered. */
export async function dayRows(orm: MikroORM, organisationId: string): Promise<string[]> {
  const rows = (await orm.em
    .getConnection()
    .execute('select environment, day, starts, ends, identified from usage_days where organisation_id = ? order by environment, day', [organisationId])) as {
    environment: string;
    day: string;
    starts: number;
    ends: number;
    identified: number;
  }[];
  return rows.map((r) => `${r.environment} ${r.day} ${r.starts} ${r.ends} ${r.identified}`);
}
