/** Turns live intents and variables into the stored, replayable form of a start answer. */
import type { CustomerRecord } from '../customers/customer.sql';
import type { StartSnapshot } from './call.entity';
import type { IntentView, VariableView } from './call.types';

function intentSnapshot(i: IntentView): StartSnapshot['openIntents'][number] {
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    attemptCount: i.attemptCount,
    lastCallId: i.lastCallId ?? null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

function intentView(i: StartSnapshot['openIntents'][number], customer: CustomerRecord): IntentView {
  return { ...i, customer: { id: customer.id }, createdAt: new Date(i.createdAt), updatedAt: new Date(i.updatedAt) };
}

/** The history part of a start answer: previous call, call count, last intent. */
export interface StartHistory {
  previousCallAt: Date | null;
  callCount: number;
  lastIntent: IntentView | null;
}

/** The snapshot of what a start answer returns. */
export function startSnapshot(intents: IntentView[], variables: VariableView[], history: StartHistory): StartSnapshot {
  return {
    previousCallAt: history.previousCallAt?.toISOString() ?? null,
    callCount: history.callCount,
    lastIntent: history.lastIntent ? intentSnapshot(history.lastIntent) : null,
    openIntents: intents.map(intentSnapshot),
    variables: variables.map((v) => ({
      id: v.id,
      name: v.name,
      value: v.value,
      source: v.source ?? null,
      ttlSeconds: v.ttlSeconds,
      expiresAt: v.expiresAt.toISOString(),
      lastCallId: v.lastCallId ?? null,
      updatedAt: v.updatedAt.toISOString(),
    })),
  };
}

/** Rebuilds the views of a stored snapshot, for replaying a start answer exactly. */
export function viewsFromSnapshot(snapshot: StartSnapshot, customer: CustomerRecord): StartHistory & { openIntents: IntentView[]; variables: VariableView[] } {
  return {
    previousCallAt: snapshot.previousCallAt ? new Date(snapshot.previousCallAt) : null,
    callCount: snapshot.callCount ?? customer.callCount,
    lastIntent: snapshot.lastIntent ? intentView(snapshot.lastIntent, customer) : null,
    openIntents: snapshot.openIntents.map((i) => intentView(i, customer)),
    variables: snapshot.variables.map((v) => ({
      ...v,
      customer: { id: customer.id },
      expiresAt: new Date(v.expiresAt),
      updatedAt: new Date(v.updatedAt),
    })),
  };
}
