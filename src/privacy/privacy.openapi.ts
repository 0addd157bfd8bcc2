/** The OpenAPI paths of GET and DELETE /v1/customers/{ref} (added to the document by api-docs/openapi-document.ts). */
import type { ZodOpenApiPathsObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { z } from 'zod';

import { ERROR_MEANINGS } from '../api-docs/error-statuses';
import { ErrorCode, HTTP_STATUS } from '../errors/error-code';
import { reasonPhrase } from '../http/error-body';
import { eraseAnswer, exportAnswer } from './privacy.answers';

const REQUEST_ID = { $ref: '#/components/headers/RequestId' };

/** The codes these routes can answer, with what each means here where it differs from the table. */
const CODES: [ErrorCode, string?][] = [
  [ErrorCode.BadUserInput, 'the ref is not a customer ref (a UUID)'],
  [ErrorCode.MalformedRequest],
  [ErrorCode.Unauthenticated],
  [ErrorCode.NotFound, "no customer with this ref in the key's organisation and environment (another tenant's ref, and an erased one, are unknown too)"],
  [ErrorCode.MethodNotAllowed, 'the route takes GET and DELETE only; the answer carries `Allow: GET, DELETE`'],
  [ErrorCode.RequestTimeout],
  [ErrorCode.RateLimited],
  [ErrorCode.HeadersTooLarge],
  [ErrorCode.Internal],
  [ErrorCode.ServiceUnavailable],
];

const HEADERS: Record<number, Record<string, unknown>> = {
  401: { 'WWW-Authenticate': { $ref: '#/components/headers/WWWAuthenticate' } },
  405: { Allow: { description: 'The methods the route takes.', required: true, schema: { type: 'string', const: 'GET, DELETE' } } },
  429: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
  503: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
};

function errorResponses(): ZodOpenApiResponsesObject {
  const statuses = [...new Set(CODES.map(([code]) => HTTP_STATUS[code]))].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status) => {
      const meanings = CODES.filter(([code]) => HTTP_STATUS[code] === status).map(([code, meaning]) => `\`${code}\`: ${meaning ?? ERROR_MEANINGS[code]}`);
      return [
        String(status),
        {
          description: `${meanings.join('; ')}.`,
          headers: { 'X-Request-Id': REQUEST_ID, ...HEADERS[status] },
          content: {
            'application/json': {
              schema: { allOf: [{ $ref: '#/components/schemas/Error' }], properties: { error: { const: reasonPhrase(status) } } },
            },
          },
        },
      ];
    }),
  ) as ZodOpenApiResponsesObject;
}

const ref = z.object({
  ref: z.string().meta({ description: 'The customer ref (customer_ref); a merged customer’s ref names the customer it was merged into.', example: 'a1b2c3d4-e5f6-4890-abcd-ef1234567890' }),
});

const ok = (description: string, schema: z.ZodType) => ({ description, headers: { 'X-Request-Id': REQUEST_ID }, content: { 'application/json': { schema } } });

/** The customers tag. */
export const CUSTOMERS_TAG = { name: 'customers', description: 'Export and erase one customer on request (privacy); any key of the tenant, every use audited.' };

/** The paths. */
export function privacyPaths(): ZodOpenApiPathsObject {
  const errors = errorResponses();
  return {
    '/v1/customers/{ref}': {
      get: {
        tags: ['customers'],
        operationId: 'exportCustomer',
        summary: 'Export everything held about one customer',
        description:
          'The customer, its numbers and external ids, every call with its outcome, every intent, every stored variable with its expiry, and the refs merged into it. Recorded in the privacy audit (who, when, a keyed hash of the ref). The answer is not bounded by the 32 KB that IVR platforms accept: it is meant for people and tools.',
        requestParams: { path: ref },
        responses: { '200': ok('Everything held about the customer.', exportAnswer), ...errors },
      },
      delete: {
        tags: ['customers'],
        operationId: 'eraseCustomer',
        summary: 'Erase one customer on request',
        description:
          'Deletes the customer’s calls, numbers, external ids, intents and variables (and those of customers merged into it) in one transaction, and keeps keyed-hash tombstones (never the values) so that a replayed start or end of an erased call, or a new call from the same number, starts a fresh empty customer. Recorded in the privacy audit. A second erase of the same ref is a 404.',
        requestParams: { path: ref },
        responses: { '200': ok('What was erased.', eraseAnswer), ...errors },
      },
    },
  };
}
