/**
 * The REST error body (contract §7) as a zod schema: the type every REST error answer is written with, and
 * the error schema of the OpenAPI document (src/api-docs/).
 */
import { STATUS_CODES } from 'node:http';

import { z } from 'zod';

/** One problem with the input: where (keys and indexes) and what. */
const issue = z.strictObject({
  path: z.array(z.union([z.string(), z.number()])).meta({ description: 'Keys and indexes from the body root; `[]` for the body as a whole.' }),
  message: z.string(),
});

/** `{error, message, details?: {issues}}`: `error` is the status's HTTP reason phrase. */
export const errorBody = z
  .strictObject({
    error: z.string().meta({ description: 'The HTTP reason phrase of the status.' }),
    message: z.string().meta({ description: 'What went wrong and how to fix it; never internals (a 500 names only the request id).' }),
    details: z.strictObject({ issues: z.array(issue).meta({ description: 'Every problem found, not only the first.' }) }).optional(),
  });

/** The JSON body of an error answer. */
export type ErrorBody = z.infer<typeof errorBody>;

/** The reason phrase Node writes for a status (the `error` of its answers and of the document's error schemas). */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
