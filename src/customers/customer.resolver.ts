/** Customer queries and the nested fields of Customer (batched per request). */
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import { Call } from '../calls/call.entity';
import { callCursor } from '../calls/call-queries';
import { Connection, PageArgs, toConnection } from '../graphql/connection';
import type { GraphQLContext } from '../graphql/context';
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
  @Query(() => Customer, { nullable: true, description: 'A customer by ref (a merged customer’s ref gives the customer it was merged into).' })
  customer(@Arg('ref', () => ID) ref: string, @Ctx() { em, services }: GraphQLContext): Promise<Customer | null> {
    return services.identity.findByRef(em, ref.trim());
  }

  @Query(() => Customer, { nullable: true, description: 'The customer known by a number (most recently seen owner) or an external id.' })
  customerByIdentity(@Arg('identity', () => IdentityInput) identity: IdentityInput, @Ctx() { em, services }: GraphQLContext): Promise<Customer | null> {
    return services.customers.byIdentity(em, identity);
  }

  @Query(() => CustomerConnection, { description: 'Customers, newest first, filtered and paginated.' })
  async customers(
    @Arg('filter', () => CustomerFilterInput, { nullable: true }) filter: CustomerFilterInput | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() { em, services }: GraphQLContext,
  ) {
    const { rows, totalCount } = await services.customers.list(em, filter ?? {}, page);
    return toConnection(rows, page.first, totalCount, customerCursor);
  }

  @FieldResolver(() => [Identity], { description: 'Numbers and external ids this customer is known by.' })
  identities(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext) {
    return loaders.identities.load(customer.id);
  }

  @FieldResolver(() => [Variable], { description: 'Unexpired variables, by name.' })
  variables(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext) {
    return loaders.variables.load(customer.id);
  }

  @FieldResolver(() => [Intent], { description: 'Unresolved, unexpired intents, most recently updated first.' })
  openIntents(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext) {
    return loaders.openIntents.load(customer.id);
  }

  @FieldResolver(() => [Intent], { description: 'Every intent (optionally of one status), most recently updated first.' })
  intents(
    @Root() customer: Customer,
    @Arg('status', () => IntentStatus, { nullable: true }) status: IntentStatus | null,
    @Ctx() { loaders }: GraphQLContext,
  ) {
    return loaders.intents.load({ customerId: customer.id, status });
  }

  @FieldResolver(() => CallConnection, { description: 'The customer’s calls, newest first.' })
  async calls(@Root() customer: Customer, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: GraphQLContext) {
    const { rows, totalCount } = await loaders.calls.load({ customerId: customer.id, first: page.first, after: page.after });
    return toConnection(rows, page.first, totalCount, callCursor);
  }
}
