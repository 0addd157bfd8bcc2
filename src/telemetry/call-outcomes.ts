/**
 * What a start or an end came to, for the metrics: a new start by its identification recommendation, a
 * replay (answered from what the first request stored), or a conflict (409). Recorded once per operation
 * where the GraphQL mutations resolve (calls/call.resolver.ts), which the REST shim runs too, so a REST
 * request is counted once.
 */
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import type { ServiceMetrics } from './service-metrics';

type Operation = 'start' | 'end';

/** Counts `outcome`'s replay or conflict under `operation` (and a new start's recommendation); passes it on. */
export async function countCallOutcome<T extends { replayed: boolean; identification?: { recommendation: string } }>(
  metrics: ServiceMetrics,
  operation: Operation,
  outcome: Promise<T>,
): Promise<T> {
  try {
    const result = await outcome;
    if (result.replayed) metrics.replays.labels(operation).inc();
    else if (result.identification) metrics.identifications.labels(result.identification.recommendation).inc();
    return result;
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.Conflict) metrics.conflicts.labels(operation).inc();
    throw error;
  }
}
