/** The intents query and Intent's customer field. */
import { IsOptional, MaxLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';

import { Customer } from '../customers/customer.entity';
import { Connection, toConnection } from '../graphql/connection';
import type { GraphQLContext } from '../graphql/context';
import { KeysetPageArgs } from '../graphql/keyset-page.args';
import { pageRequest } from '../graphql/page-args';
import { DatabaseCost, LIST_COST, QUERY_COST } from '../graphql/query-cost';
import { IntentStatus } from './intent-status';
import { Intent } from './intent.entity';
import { intentCursor, listIntents } from './intent-queries';

export const IntentConnection = Connection(Intent, 'Intent');

@InputType({ description: 'Which intents to list; every given condition must hold.' })
class IntentFilterInput {
  @Field(() => String, { nullable: true, description: 'Intent name (any label form).' })
  @IsOptional()
  @MaxLength(512)
  name?: string | null;

  @Field(() => IntentStatus, { nullable: true, description: 'Only this status.' })
  @IsOptional()
  status?: IntentStatus | null;

  @Field(() => ID, { nullable: true, description: 'Only this customer’s intents.' })
  @IsOptional()
  @MaxLength(64)
  customerRef?: string | null;
}

@Resolver(() => Intent)
export class IntentResolver {
  @DatabaseCost(LIST_COST)
  @Query(() => IntentConnection, { description: 'Intents across customers, most recently updated first.' })
  async intents(
    @Arg('filter', () => IntentFilterInput, { nullable: true, description: 'Which intents to list; all intents when absent.' }) filter: IntentFilterInput | null,
    @Args(() => KeysetPageArgs) page: KeysetPageArgs,
    @Ctx() { em, services }: GraphQLContext,
  ) {
    const customer = filter?.customerRef ? await services.customers.byRefOrFail(em, filter.customerRef) : undefined;
    const request = pageRequest(page);
    return toConnection(await listIntents(em, { ...filter, customerId: customer?.id }, request), request, intentCursor);
  }

  @DatabaseCost(QUERY_COST)
  @FieldResolver(() => Customer, { description: 'Whose intent this is.' })
  async customer(@Root() intent: Intent, @Ctx() { loaders }: GraphQLContext): Promise<Customer> {
    return (await loaders.customer.load(intent.customer.id)) as Customer;
  }
}
