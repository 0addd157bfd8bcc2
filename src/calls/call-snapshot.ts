/** Turns live intents and variables into the stored, replayable form of a start answer. */
import type { Customer } from '../customers/customer.entity';
import type { Intent } from '../intents/intent.entity';
import type { Variable } from '../variables/variable.entity';
import type { StartSnapshot } from './call.entity';
import type { IntentView, VariableView } from './call.types';

/** The snapshot of what a start answer returns. */
export function startSnapshot(intents: Intent[], variables: Variable[]): StartSnapshot {
  return {
    openIntents: intents.map((i) => ({
      id: i.id,
      name: i.name,
      status: i.status,
      attemptCount: i.attemptCount,
      lastCallId: i.lastCallId ?? null,
      createdAt: i.createdAt.toISOString(),
      updatedAt: i.updatedAt.toISOString(),
    })),
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
export function viewsFromSnapshot(snapshot: StartSnapshot, customer: Customer): { openIntents: IntentView[]; variables: VariableView[] } {
  return {
    openIntents: snapshot.openIntents.map((i) => ({
      ...i,
      customer,
      createdAt: new Date(i.createdAt),
      updatedAt: new Date(i.updatedAt),
    })),
    variables: snapshot.variables.map((v) => ({
      ...v,
      customer,
      expiresAt: new Date(v.expiresAt),
      updatedAt: new Date(v.updatedAt),
    })),
  };
}
