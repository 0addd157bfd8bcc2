/** startCall / endCall through GraphQL, for tests that need calls, intents and variables to exist first. */
import type { GraphQLClient } from './graphql-client';

/** startCall with the fields most tests look at. */
export const START_CALL = `mutation Start($input: StartCallInput!) {
  startCall(input: $input) {
    replayed
    customer { ref callCount provisional }
    identification { confidence level sources recommendation }
    openIntents { name status attemptCount }
    variables { name value source ttlSeconds }
    call { callId ani dnis lineType startedAt endedAt }
  }
}`;

/** endCall with the fields most tests look at. */
export const END_CALL = `mutation End($input: EndCallInput!) {
  endCall(input: $input) {
    intentsUpdated variablesUpdated replayed
    call { callId startedAt endedAt durationSeconds intent intentStatus variablesWritten }
    customer { ref callCount }
  }
}`;

/** Hints as startCall takes them. */
export interface Hints {
  ani?: string;
  dnis?: string;
  customerRef?: string;
  lineType?: 'MOBILE' | 'LANDLINE' | 'VOIP' | 'UNKNOWN';
  externalIds?: { key: string; value: string }[];
}

/** Starts a call and returns the customer's ref. */
export async function startCall(gql: GraphQLClient, callId: string, hints: Hints): Promise<string> {
  const data = await gql.data(START_CALL, { input: { callId, hints } });
  return data.startCall.customer.ref;
}

/** Ends a call with an intent and variables. */
export async function endCall(
  gql: GraphQLClient,
  input: { callId: string; customerRef?: string; intent?: string; intentStatus?: string; variables?: { name: string; value: string | null }[] },
): Promise<void> {
  await gql.data(END_CALL, { input });
}

/** A whole call: start, then end with an intent and variables; returns the customer's ref. */
export async function recordCall(
  gql: GraphQLClient,
  callId: string,
  hints: Hints,
  outcome: { intent?: string; intentStatus?: string; variables?: { name: string; value: string | null }[] } = {},
): Promise<string> {
  const ref = await startCall(gql, callId, hints);
  await endCall(gql, { callId, customerRef: ref, ...outcome });
  return ref;
}
