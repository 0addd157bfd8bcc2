import { IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';

import { IdentityHintsInput } from '../identity/identity.input';
import { IntentStatus } from '../intents/intent-status';
import { VariableInput } from '../variables/variable.input';

/** startCall's input. */
@InputType({ description: 'A call that is starting: its id and what is known about the caller.' })
export class StartCallInput {
  @Field({ description: 'The platform’s call id, 1-256 characters; retries with the same id replay the answer.' })
  callId!: string;

  @Field(() => IdentityHintsInput, { description: 'What the platform knows about the caller.' })
  @ValidateNested()
  hints!: IdentityHintsInput;
}

/** endCall's input. */
@InputType({ description: 'What a call taught us. A call that was never started is recorded from customerRef or hints.' })
export class EndCallInput {
  @Field({ description: 'The call id given at start.' })
  callId!: string;

  @Field(() => String, { nullable: true, description: 'The ref from start; empty is allowed (the start may have failed).' })
  @IsOptional()
  @MaxLength(64)
  customerRef?: string | null;

  @Field(() => IdentityHintsInput, { nullable: true, description: 'For a call that was never started: who called.' })
  @IsOptional()
  @ValidateNested()
  hints?: IdentityHintsInput | null;

  @Field(() => String, { nullable: true, description: 'The caller’s issue, any label (stored normalised: refund_request).' })
  @IsOptional()
  @MaxLength(512)
  intent?: string | null;

  @Field(() => IntentStatus, { nullable: true, description: 'The issue’s status after this call (default OPEN).' })
  @IsOptional()
  intentStatus?: IntentStatus | null;

  @Field(() => [VariableInput], { nullable: true, description: 'Variables to write or (value null) delete.' })
  @IsOptional()
  @ValidateNested({ each: true })
  variables?: VariableInput[] | null;
}
