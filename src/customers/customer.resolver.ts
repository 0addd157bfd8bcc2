/** Customer queries and the nested fields of Customer (batched per request). */
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import { Call } from '../calls/call.entity';
import { callCursor } from '../calls/call-queries';
import { Connection, toConnection } from '../graphql/connection';
import type { GraphQLContext } from '../graphql/context';
import { KeysetPageArgs } from '../graphql/keyset-page.args';
import { pageRequest } from '../graphql/page-args';
import { DatabaseCost, LIST_COST, QUERY_COST } from '../graphql/query-cost';
import { IdentityInput } from '../identity/identity.input';
import { Identity } from '../identity/identity.type';
import { IntentStatus } from '../intents/intent-status';
import { Intent } from '../intents/intent.entity';
import { Variable } from '../variables/variable.entity';
import { Customer } from './customer.entity';
import { CustomerFilterInput } from './customer.inputs';
import { customerCursor } from './customer.service';

export const CustomerConnection = Connection(Customer, 'Customer');
export const CallConnection = Connection(Call, 'Call');

@Resolver(() => Customer)
export class CustomerResolver {
  @DatabaseCost(QUERY_COST)
  @Query(() => Customer, { nullable: true, description: 'A customer by ref (a merged customer’s ref gives the customer it was merged into).' })
  customer(@Arg('ref', () => ID, { description: 'The customer ref (customer_ref) a start or end answered.' }) ref: string, @Ctx() { em, services }: GraphQLContext): Promise<Customer | null> {
    return services.identity.findByRef(em, ref.trim());
  }

  @DatabaseCost(3 * QUERY_COST)
  @Query(() => Customer, { nullable: true, description: 'The customer known by a number (most recently seen owner) or an external id.' })
  customerByIdentity(@Arg('identity', () => IdentityInput, { description: 'A number (any common format) or an external id.' }) identity: IdentityInput, @Ctx() { em, services }: GraphQLContext): Promise<Customer | null> {
    return services.customers.byIdentity(em, identity);
  }

  @DatabaseCost(LIST_COST)
  @Query(() => CustomerConnection, { description: 'Customers, newest first, filtered and paginated.' })
  async customers(
    @Arg('filter', () => CustomerFilterInput, { nullable: true, description: 'Which customers to list; all customers (merged ones excepted) when absent.' }) filter: CustomerFilterInput | null,
    @Args(() => KeysetPageArgs) page: KeysetPageArgs,
    @Ctx() { em, services }: GraphQLContext,
  ) {
    const request = pageRequest(page);
    return toConnection(await services.customers.list(em, filter ?? {}, request), request, customerCursor);
  }

  @DatabaseCost(2 * QUERY_COST)
  @FieldResolver(() => [Identity], { description: 'Numbers and external ids this customer is known by.' })
  identities(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext) {
    return loaders.identities.load(customer.id);
  }

  @DatabaseCost(QUERY_COST)
  @FieldResolver(() => [Variable], { description: 'Unexpired variables, by name.' })
  variables(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext) {
    return loaders.variables.load(customer.id);
  }

  @DatabaseCost(QUERY_COST)
  @FieldResolver(() => [Intent], { description: 'Unresolved, unexpired intents, most recently updated first.' })
  openIntents(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext) {
    return loaders.openIntents.load(customer.id);
  }

  @DatabaseCost(QUERY_COST)
  @FieldResolver(() => [Intent], { description: 'Every intent (optionally of one status), most recently updated first.' })
  intents(
    @Root() customer: Customer,
    @Arg('status', () => IntentStatus, { nullable: true, description: 'Only intents with this status; all when absent.' }) status: IntentStatus | null,
    @Ctx() { loaders }: GraphQLContext,
  ) {
    return loaders.intents.load({ customerId: customer.id, status });
  }

  @DatabaseCost(QUERY_COST)
  @FieldResolver(() => CallConnection, { description: 'The customer’s calls, newest first.' })
  async calls(@Root() customer: Customer, @Args(() => KeysetPageArgs) page: KeysetPageArgs, @Ctx() { loaders }: GraphQLContext) {
    const request = pageRequest(page);
    return toConnection(await loaders.calls.load({ customerId: customer.id, ...request }), request, callCursor);
  }
}
