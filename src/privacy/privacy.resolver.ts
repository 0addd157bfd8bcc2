/**
 * Privacy in GraphQL: erase and export a customer (any key of the tenant), and for admin keys the
 * tombstones (list, lift) and the audit of every erase, export and lift.
 */
import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';

import { AppError } from '../errors/app-error';
import { toConnection } from '../graphql/connection';
import type { GraphQLContext } from '../graphql/context';
import { keysetCursor } from '../graphql/keyset';
import { KeysetPageArgs } from '../graphql/keyset-page.args';
import { pageRequest } from '../graphql/page-args';
import { DatabaseCost, LIST_COST } from '../graphql/query-cost';
import { ApiKeyRole } from '../tenancy/api-key-role';
import type { PrivacyAuditEntry } from './privacy-audit.entity';
import { EraseCustomerPayload, LiftTombstonePayload, PrivacyAuditPayload, TombstonesPayload, toPage } from './privacy.payloads';
import type { PrivacyActor } from './privacy.service';
import type { Tombstone } from './tombstone.entity';

const REF = { description: 'The customer ref (customer_ref); a merged customer’s ref names the customer it was merged into.' };

function actor({ em, tenant, principal }: GraphQLContext): PrivacyActor {
  return { em, tenant, keyId: principal.keyId };
}

function adminOnly({ principal }: GraphQLContext, what: string): void {
  if (principal.role !== ApiKeyRole.ADMIN) throw AppError.forbidden(`${what} needs an admin API key`);
}

@Resolver()
export class PrivacyResolver {
  @Mutation(() => EraseCustomerPayload, {
    description:
      'Erase a customer on request: its calls, numbers, external ids, intents and variables (and those of customers merged into it), in one transaction. Keyed-hash tombstones make a replayed start or end, or a new call from the same number, start a fresh empty customer. Audited.',
  })
  eraseCustomer(@Arg('ref', () => ID, REF) ref: string, @Ctx() context: GraphQLContext): Promise<EraseCustomerPayload> {
    return context.services.privacy.erase(actor(context), ref);
  }

  @Mutation(() => GraphQLJSONObject, {
    description:
      'Everything held about one customer as one JSON document: the customer, numbers, external ids, calls with their outcomes and start snapshots (what each start answered, kept for REPLAY_WINDOW_HOURS), intents, variables (with expiry) and the refs merged into it; always complete, however many calls. A mutation because every export is recorded in the privacy audit.',
  })
  exportCustomer(@Arg('ref', () => ID, REF) ref: string, @Ctx() context: GraphQLContext): Promise<object> {
    return context.services.privacy.export(actor(context), ref);
  }

  @DatabaseCost(LIST_COST)
  @Query(() => TombstonesPayload, { description: 'Tombstones of erased values, newest first: kind, when and by which key, never the values. Admin keys only.' })
  async tombstones(@Args(() => KeysetPageArgs) page: KeysetPageArgs, @Ctx() context: GraphQLContext) {
    adminOnly(context, 'tombstones');
    const request = pageRequest(page);
    return toPage(toConnection(await context.services.privacy.tombstones(context.em, request), request, (t: Tombstone) => keysetCursor(t.erasedAt, t.id)));
  }

  @Mutation(() => LiftTombstonePayload, {
    description: 'Lift a tombstone: its call id, ref, number or external id behaves as never seen again. Admin keys only; audited.',
  })
  liftTombstone(@Arg('id', () => ID, { description: 'The tombstone’s id (from tombstones).' }) id: string, @Ctx() context: GraphQLContext): Promise<LiftTombstonePayload> {
    adminOnly(context, 'liftTombstone');
    return context.services.privacy.lift(actor(context), id);
  }

  @DatabaseCost(LIST_COST)
  @Query(() => PrivacyAuditPayload, { description: 'Every erase, export and tombstone lift, newest first: who, when, a keyed hash of what. Admin keys only.' })
  async privacyAudit(@Args(() => KeysetPageArgs) page: KeysetPageArgs, @Ctx() context: GraphQLContext) {
    adminOnly(context, 'privacyAudit');
    const request = pageRequest(page);
    return toPage(toConnection(await context.services.privacy.audit(context.em, request), request, (e: PrivacyAuditEntry) => keysetCursor(e.at, e.id)));
  }
}
