/** The GraphQL operations the REST shim runs, and the shapes of their results. */
import type { ConfidenceLevel, Recommendation } from '../identity/confidence';

export const START_CALL = `mutation StartCall($input: StartCallInput!) {
  startCall(input: $input) {
    call { callId startedAt }
    customer { ref }
    identification { confidence level sources recommendation }
    openIntents { name status attemptCount }
    variables { name value source ttlSeconds updatedAt }
    previousCallAt
    callCount
    lastIntent { name status }
    screenPopUrl
  }
}`;

export const END_CALL = `mutation EndCall($input: EndCallInput!) {
  endCall(input: $input) {
    call { callId startedAt endedAt durationSeconds }
    customer { ref }
    intentsUpdated
    variablesUpdated
  }
}`;

/** An intent as the start operation returns it. */
export interface IntentData {
  name: string;
  status: 'OPEN' | 'RESOLVED' | 'ABANDONED';
  attemptCount: number;
}

/** startCall's data. */
export interface StartCallData {
  startCall: {
    call: { callId: string; startedAt: string };
    customer: { ref: string };
    identification: { confidence: number; level: ConfidenceLevel; sources: string[]; recommendation: Recommendation };
    openIntents: IntentData[];
    variables: { name: string; value: string; source: string | null; ttlSeconds: number; updatedAt: string }[];
    previousCallAt: string | null;
    callCount: number;
    lastIntent: Pick<IntentData, 'name' | 'status'> | null;
    screenPopUrl: string;
  };
}

/** endCall's data. */
export interface EndCallData {
  endCall: {
    call: { callId: string; startedAt: string; endedAt: string; durationSeconds: number };
    customer: { ref: string };
    intentsUpdated: number;
    variablesUpdated: number;
  };
}
