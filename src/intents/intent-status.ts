import { registerEnumType } from 'type-graphql';

/** Where a caller's issue stands. Open and abandoned intents are unresolved and returned at call start. */
export enum IntentStatus {
  OPEN = 'open',
  RESOLVED = 'resolved',
  ABANDONED = 'abandoned',
}

registerEnumType(IntentStatus, {
  name: 'IntentStatus',
  description: 'Where a caller’s issue stands; open and abandoned intents are unresolved.',
  valuesConfig: {
    OPEN: { description: 'Raised and not resolved yet; returned at call start.' },
    RESOLVED: { description: 'Dealt with; no longer returned at call start.' },
    ABANDONED: { description: 'Given up without a resolution (the caller hung up, for example); still unresolved, so still returned at call start.' },
  },
});

/** True for the statuses that keep an intent in `open_intents`. */
export function isUnresolved(status: IntentStatus): boolean {
  return status !== IntentStatus.RESOLVED;
}
