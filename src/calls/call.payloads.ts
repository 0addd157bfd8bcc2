import { Field, Int, ObjectType } from 'type-graphql';

import { Customer } from '../customers/customer.entity';
import { Identification } from '../identity/identity.type';
import { Intent } from '../intents/intent.entity';
import { Variable } from '../variables/variable.entity';
import { Call } from './call.entity';

/** startCall's result. */
@ObjectType({ description: 'Who is calling, how sure we are, and what we remember about them.' })
export class StartCallPayload {
  @Field(() => Call, { description: 'The call as recorded.' })
  call!: Call;

  @Field(() => Customer, { description: 'The matched customer, or a new provisional one.' })
  customer!: Customer;

  @Field(() => Identification, { description: 'How sure the match is.' })
  identification!: Identification;

  @Field(() => [Intent], { description: 'Unresolved, unexpired intents, most recently updated first.' })
  openIntents!: Intent[];

  @Field(() => [Variable], { description: 'Every unexpired variable.' })
  variables!: Variable[];

  @Field(() => Date, { nullable: true, description: 'Start of the customer’s previous call; null for a first call.' })
  previousCallAt!: Date | null;

  @Field(() => Int, { description: 'Calls recorded for the customer including this one, as of this answer.' })
  callCount!: number;

  @Field(() => Intent, { nullable: true, description: 'The customer’s most recently updated intent before this call, any status.' })
  lastIntent!: Intent | null;

  @Field({ description: 'True when this answers a retry of an earlier identical start.' })
  replayed!: boolean;

  @Field({
    description:
      'Absolute link to the agent screen pop for this call: signed, read-only, needs no API key, valid for SCREEN_POP_TTL_HOURS after the call started. A replayed start returns the same link.',
  })
  screenPopUrl!: string;
}

/** endCall's result. */
@ObjectType({ description: 'What endCall recorded.' })
export class EndCallPayload {
  @Field(() => Call, { description: 'The ended call.' })
  call!: Call;

  @Field(() => Customer, { description: 'The call’s customer.' })
  customer!: Customer;

  @Field(() => Int, { description: 'How many intents were created or updated (0 or 1).' })
  intentsUpdated!: number;

  @Field(() => Int, { description: 'How many variables were written or deleted.' })
  variablesUpdated!: number;

  @Field({ description: 'True when this answers a retry of an earlier identical end.' })
  replayed!: boolean;
}
