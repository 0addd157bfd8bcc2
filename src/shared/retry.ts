/**
 * Recovery from races: the loser runs its whole transaction again and then sees the winner's rows (a
 * concurrent insert of the same unique value, a customer merged meanwhile, a deadlock PostgreSQL broke).
 */
import { DeadlockException, UniqueConstraintViolationException } from '@mikro-orm/core';

import { AppError } from '../errors/app-error';

/** Thrown inside a transaction whose customer was merged away or deleted after it resolved it: run it again. */
export class StaleCustomer extends Error {
  constructor(readonly customerId: string) {
    super(`customer ${customerId} was merged or deleted while this transaction was resolving it`);
  }
}

/** Runs `attempt` (a whole transaction), running it again when it loses a race. */
export async function retryOnRace<T>(attempt: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const lost = error instanceof UniqueConstraintViolationException || error instanceof DeadlockException || error instanceof StaleCustomer;
      if (!lost) throw error;
      if (i >= tries) {
        // Merged again on every try: the client's retry will find where the customer ended up.
        if (error instanceof StaleCustomer) throw AppError.conflict('The customer was being merged; retry the request');
        throw error;
      }
    }
  }
}
