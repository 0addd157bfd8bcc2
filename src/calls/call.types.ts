/** Inputs and results of the call operations, shared by GraphQL and (through it) the REST shim. */
import type { CustomerRecord } from '../customers/customer.sql';
import type { Identification } from '../identity/confidence';
import type { IdentityHintsInput } from '../identity/identity-hints';
import type { IntentStatus } from '../intents/intent-status';
import type { VariableWrite } from '../variables/variable.service';
import type { IntentRecord } from '../intents/intent.sql';
import type { VariableRecord } from '../variables/variable.sql';
import type { CallRecord } from './call.sql';

/** startCall: identify the caller of a new call. */
export interface StartCallCommand {
  callId: string;
  hints: IdentityHintsInput;
}

/** endCall: what the call taught us. */
export interface EndCallCommand {
  callId: string;
  /** The ref from start; empty means "not known" (Five9 sends "" when its start failed). */
  customerRef?: string | null;
  /** For a call that was never started: match or create the customer from these. */
  hints?: IdentityHintsInput | null;
  intent?: string | null;
  intentStatus?: IntentStatus | null;
  variables?: VariableWrite[] | null;
}

/** An intent as a start answer shows it (live, or rebuilt from the stored snapshot on a replay). */
export type IntentView = IntentRecord;

/** A variable as a start answer shows it. */
export type VariableView = VariableRecord;

/** The answer to startCall (replayed as first given when the same start is retried). */
export interface StartCallResult {
  call: CallRecord;
  customer: CustomerRecord;
  identification: Identification;
  openIntents: IntentView[];
  variables: VariableView[];
  /** Start of the customer's previous call (null for a first call). */
  previousCallAt: Date | null;
  /** Calls recorded for the customer including this one. */
  callCount: number;
  /** The customer's most recently updated intent before this call, any status. */
  lastIntent: IntentView | null;
  replayed: boolean;
}

/** The answer to endCall. */
export interface EndCallResult {
  call: CallRecord;
  customer: CustomerRecord;
  intentsUpdated: number;
  variablesUpdated: number;
  replayed: boolean;
}
