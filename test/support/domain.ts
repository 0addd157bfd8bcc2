/**
 * The domain services over a real, migrated scratch database with a hand-moved clock. Every operation gets
 * its own tenant-bound fork, as one request would.
 */
import type { EntityManager, EntityName, FilterQuery, MikroORM } from '@mikro-orm/core';

import type { TenantContext } from '../../src/calls/call.service';
import type { StartCallResult } from '../../src/calls/call.types';
import { AppError } from '../../src/errors/app-error';
import type { IdentityHintsInput } from '../../src/identity/identity-hints';
import { createServices, type Services } from '../../src/services';
import { ManualClock } from '../../src/shared/clock';
import { DEFAULT_MEMORY_RULES, type MemoryRules } from '../../src/shared/memory-rules';
import { Environment, type Tenant } from '../../src/tenancy/environment';
import { TENANT_FILTER } from '../../src/tenancy/tenant-scoped.entity';
import type { Engine } from './scratch-database';
import { createTestOrm, testConfig } from './test-app';

/** The contract's example moment. */
export const T0 = new Date('2026-02-07T10:30:00.000Z');
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** The default tenant of domain tests. */
export const TENANT: Tenant = { organisationId: '33333333-3333-4333-8333-333333333333', environment: Environment.TEST };

/** Services, clock and database of one domain test file. */
export interface Domain {
  orm: MikroORM;
  clock: ManualClock;
  services: Services;
  tenant: Tenant;
  /** A fresh fork bound to the tenant: one request's worth of context. */
  ctx(): TenantContext;
  /** Counts rows of an entity in the tenant. */
  count<T extends object>(entity: EntityName<T>, where?: FilterQuery<NoInfer<T>>): Promise<number>;
  /** Starts a call with the hints; a shorthand for the common case. */
  start(callId: string, hints: IdentityHintsInput): Promise<StartCallResult>;
  close(): Promise<void>;
}

/** A domain over a scratch database on the engine, with rule overrides. */
export async function createDomain(engine: Engine, rules: Partial<MemoryRules> = {}): Promise<Domain> {
  const { orm, close } = await createTestOrm(engine);
  const clock = new ManualClock(T0);
  const services = createServices({ ...DEFAULT_MEMORY_RULES, ...rules }, clock, testConfig().metrics, testConfig().appSecret, testConfig().limits);
  const bound = (): EntityManager => {
    const em = orm.em.fork();
    em.setFilterParams(TENANT_FILTER, TENANT);
    return em;
  };
  const ctx = (): TenantContext => ({ em: bound(), tenant: TENANT });
  return {
    orm,
    clock,
    services,
    tenant: TENANT,
    ctx,
    count: (entity, where) => bound().count(entity, where),
    start: (callId, hints) => services.calls.start(ctx(), { callId, hints }),
    close,
  };
}

/** The AppError a promise rejects with (fails the test if it resolves or throws something else). */
export async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}
