/** Call queries, startCall/endCall, and Call's nested fields. */
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import { CallConnection } from '../customers/customer.resolver';
import { Customer } from '../customers/customer.entity';
import { toConnection } from '../graphql/connection';
import type { GraphQLContext } from '../graphql/context';
import { KeysetPageArgs } from '../graphql/keyset-page.args';
import { pageRequest } from '../graphql/page-args';
import { DatabaseCost, LIST_COST, QUERY_COST } from '../graphql/query-cost';
import { externalIdMap, type IdentityHintsInput } from '../identity/identity.input';
import { Identification } from '../identity/identity.type';
import { countCallOutcome } from '../telemetry/call-outcomes';
import type { IdentityHintsInput as DomainHints } from '../identity/identity-hints';
import { Call } from './call.entity';
import { CallFilterInput } from './call-filter.input';
import { EndCallInput, StartCallInput } from './call.inputs';
import { EndCallPayload, StartCallPayload } from './call.payloads';
import { callCursor, listCalls } from './call-queries';
import type { EndCallCommand, StartCallCommand } from './call.types';

function domainHints(hints: IdentityHintsInput): DomainHints {
  return { ...hints, externalIds: externalIdMap(hints.externalIds) };
}

function startCommand(input: StartCallInput): StartCallCommand {
  return { callId: input.callId, hints: domainHints(input.hints) };
}

function endCommand(input: EndCallInput): EndCallCommand {
  return {
    ...input,
    hints: input.hints ? domainHints(input.hints) : null,
    variables: input.variables?.map((v) => ({ name: v.name, value: v.value ?? null, ttlSeconds: v.ttlSeconds, source: v.source })),
  };
}

@Resolver(() => Call)
export class CallResolver {
  @DatabaseCost(QUERY_COST)
  @Query(() => Call, { nullable: true, description: 'A call by its call id.' })
  call(@Arg('callId', () => ID, { description: 'The platform’s call id (call_id), as given at start.' }) callId: string, @Ctx() { em }: GraphQLContext): Promise<Call | null> {
    return em.findOne(Call, { callId: callId.trim() });
  }

  @DatabaseCost(LIST_COST)
  @Query(() => CallConnection, { description: 'Calls, newest first, filtered and paginated.' })
  async calls(
    @Arg('filter', () => CallFilterInput, { nullable: true, description: 'Which calls to list; all calls when absent.' }) filter: CallFilterInput | null,
    @Args(() => KeysetPageArgs) page: KeysetPageArgs,
    @Ctx() { em, services }: GraphQLContext,
  ) {
    const customer = filter?.customerRef ? await services.customers.byRefOrFail(em, filter.customerRef) : undefined;
    const request = pageRequest(page);
    return toConnection(await listCalls(em, { ...filter, customerId: customer?.id }, request), request, callCursor);
  }

  @Mutation(() => StartCallPayload, { description: 'A call starts: identify the caller and return what we remember. Retries with the same callId and hints replay the first answer.' })
  async startCall(@Arg('input', () => StartCallInput, { description: 'The call id and what is known about the caller.' }) input: StartCallInput, @Ctx() { em, tenant, services, links }: GraphQLContext) {
    const started = await countCallOutcome(services.telemetry, 'start', services.calls.start({ em, tenant }, startCommand(input)));
    return { ...started, screenPopUrl: links.screenPopUrl(started.call) };
  }

  @Mutation(() => EndCallPayload, { description: 'A call ends: remember its intent and variables. Retries with the same body replay the first answer.' })
  endCall(@Arg('input', () => EndCallInput, { description: 'The call id and what the call taught us.' }) input: EndCallInput, @Ctx() { em, tenant, services }: GraphQLContext) {
    return countCallOutcome(services.telemetry, 'end', services.calls.end({ em, tenant }, endCommand(input)));
  }

  @DatabaseCost(QUERY_COST)
  @FieldResolver(() => Customer, { description: 'The customer the call was matched to.' })
  async customer(@Root() call: Call, @Ctx() { loaders }: GraphQLContext): Promise<Customer> {
    return (await loaders.customer.load(call.customer.id)) as Customer;
  }

  @FieldResolver(() => Identification, { description: 'How sure the match was at the start of the call.' })
  identification(@Root() call: Call): Identification {
    return { confidence: call.confidence, level: call.level, sources: call.sources, recommendation: call.recommendation };
  }
}
