/** Recovery from unique-constraint races: the loser of a concurrent insert retries and finds the winner's row. */
import { UniqueConstraintViolationException } from '@mikro-orm/core';

/** Runs `attempt` (a whole transaction), running it again when it loses a unique-constraint race. */
export async function retryOnUniqueViolation<T>(attempt: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || i >= tries) throw error;
    }
  }
}
