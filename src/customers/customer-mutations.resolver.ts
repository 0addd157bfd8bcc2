/** Mutations on a customer outside a call: identities, merges, variables and intents. */
import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';

import type { GraphQLContext } from '../graphql/context';
import { IdentityInput } from '../identity/identity.input';
import { IntentStatus } from '../intents/intent-status';
import { Intent } from '../intents/intent.entity';
import type { VariableWrite } from '../variables/variable.service';
import { VariableInput } from '../variables/variable.input';
import { Customer } from './customer.entity';

function variableWrites(variables: VariableInput[]): VariableWrite[] {
  return variables.map((v) => ({ name: v.name, value: v.value ?? null, ttlSeconds: v.ttlSeconds, source: v.source }));
}

@ObjectType({ description: 'Result of setVariables.' })
class SetVariablesPayload {
  @Field(() => Customer, { description: 'The customer, with its variables.' })
  customer!: Customer;

  @Field(() => Int, { description: 'How many variables were written or deleted.' })
  variablesUpdated!: number;
}

@ObjectType({ description: 'Result of deleteVariable.' })
class DeleteVariablePayload {
  @Field(() => Customer, { description: 'The customer.' })
  customer!: Customer;

  @Field({ description: 'False when the customer had no such variable.' })
  deleted!: boolean;
}

/** The `customerRef` argument of the mutations that edit one customer. */
const CUSTOMER_REF = { description: 'The customer’s ref (customer_ref); a merged customer’s ref names the customer it was merged into.' };

@Resolver()
export class CustomerMutationsResolver {
  @Mutation(() => Customer, { description: 'Attach a number or external id to a customer.' })
  linkIdentity(
    @Arg('customerRef', () => ID, CUSTOMER_REF) ref: string,
    @Arg('identity', () => IdentityInput, { description: 'The number or external id to attach; an external id another customer holds is a conflict.' }) identity: IdentityInput,
    @Ctx() { em, tenant, services }: GraphQLContext) {
    return services.customers.link(em, tenant, ref, identity);
  }

  @Mutation(() => Customer, { description: 'Detach a number or external id from a customer.' })
  unlinkIdentity(
    @Arg('customerRef', () => ID, CUSTOMER_REF) ref: string,
    @Arg('identity', () => IdentityInput, { description: 'The number or external id to detach.' }) identity: IdentityInput,
    @Ctx() { em, services }: GraphQLContext) {
    return services.customers.unlink(em, ref, identity);
  }

  @Mutation(() => Customer, { description: 'Merge source into target: identities, calls, intents and variables move (newer wins); the source ref then resolves to the target.' })
  mergeCustomers(
    @Arg('sourceRef', () => ID, { description: 'Ref of the customer to merge away; afterwards it resolves to the target.' }) sourceRef: string,
    @Arg('targetRef', () => ID, { description: 'Ref of the customer that remains and receives everything.' }) targetRef: string,
    @Ctx() { em, tenant, services }: GraphQLContext) {
    return services.customers.merge(em, tenant, sourceRef, targetRef);
  }

  @Mutation(() => SetVariablesPayload, { description: 'Write variables (value null deletes), with the same limits as endCall.' })
  async setVariables(
    @Arg('customerRef', () => ID, CUSTOMER_REF) ref: string,
    @Arg('variables', () => [VariableInput], { description: 'The variables to write; a null value deletes one. At most MAX_VARIABLES_PER_REQUEST (100 by default), within the per-customer budget.' }) variables: VariableInput[],
    @Ctx() { em, tenant, services }: GraphQLContext,
  ): Promise<SetVariablesPayload> {
    const { customer, updated } = await services.customers.setVariables(em, tenant, ref, variableWrites(variables));
    return { customer, variablesUpdated: updated };
  }

  @Mutation(() => DeleteVariablePayload, { description: 'Delete one variable.' })
  deleteVariable(
    @Arg('customerRef', () => ID, CUSTOMER_REF) ref: string,
    @Arg('name', { description: 'Name of the variable to delete.' }) name: string,
    @Ctx() { em, services }: GraphQLContext) {
    return services.customers.deleteVariable(em, ref, name);
  }

  @Mutation(() => Intent, { description: 'Resolve, reopen or abandon an intent (reopening a resolved intent restarts its attempt count).' })
  updateIntent(
    @Arg('customerRef', () => ID, CUSTOMER_REF) ref: string,
    @Arg('name', { description: 'The intent, in any label form (Refund Request and refund_request are one intent).' }) name: string,
    @Arg('status', () => IntentStatus, { description: 'Its new status.' }) status: IntentStatus,
    @Ctx() { em, services }: GraphQLContext,
  ) {
    return services.customers.updateIntent(em, ref, name, status);
  }
}
