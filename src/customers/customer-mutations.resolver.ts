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

@Resolver()
export class CustomerMutationsResolver {
  @Mutation(() => Customer, { description: 'Attach a number or external id to a customer.' })
  linkIdentity(@Arg('customerRef', () => ID) ref: string, @Arg('identity', () => IdentityInput) identity: IdentityInput, @Ctx() { em, tenant, services }: GraphQLContext) {
    return services.customers.link(em, tenant, ref, identity);
  }

  @Mutation(() => Customer, { description: 'Detach a number or external id from a customer.' })
  unlinkIdentity(@Arg('customerRef', () => ID) ref: string, @Arg('identity', () => IdentityInput) identity: IdentityInput, @Ctx() { em, services }: GraphQLContext) {
    return services.customers.unlink(em, ref, identity);
  }

  @Mutation(() => Customer, { description: 'Merge source into target: identities, calls, intents and variables move (newer wins); the source ref then resolves to the target.' })
  mergeCustomers(@Arg('sourceRef', () => ID) sourceRef: string, @Arg('targetRef', () => ID) targetRef: string, @Ctx() { em, tenant, services }: GraphQLContext) {
    return services.customers.merge(em, tenant, sourceRef, targetRef);
  }

  @Mutation(() => SetVariablesPayload, { description: 'Write variables (value null deletes), with the same limits as endCall.' })
  async setVariables(
    @Arg('customerRef', () => ID) ref: string,
    @Arg('variables', () => [VariableInput]) variables: VariableInput[],
    @Ctx() { em, tenant, services }: GraphQLContext,
  ): Promise<SetVariablesPayload> {
    const { customer, updated } = await services.customers.setVariables(em, tenant, ref, variableWrites(variables));
    return { customer, variablesUpdated: updated };
  }

  @Mutation(() => DeleteVariablePayload, { description: 'Delete one variable.' })
  deleteVariable(@Arg('customerRef', () => ID) ref: string, @Arg('name') name: string, @Ctx() { em, services }: GraphQLContext) {
    return services.customers.deleteVariable(em, ref, name);
  }

  @Mutation(() => Intent, { description: 'Resolve, reopen or abandon an intent (reopening a resolved intent restarts its attempt count).' })
  updateIntent(
    @Arg('customerRef', () => ID) ref: string,
    @Arg('name') name: string,
    @Arg('status', () => IntentStatus) status: IntentStatus,
    @Ctx() { em, services }: GraphQLContext,
  ) {
    return services.customers.updateIntent(em, ref, name, status);
  }
}
