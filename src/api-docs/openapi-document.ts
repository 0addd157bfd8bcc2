/**
 * The OpenAPI 3.1 document of the REST shim, generated from the zod schemas the routes parse and answer
 * with (calls.schema.ts, calls.answers.ts, http/error-body.ts): one source for the code and the contract.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createDocument, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { z } from 'zod';

import { endAnswer, flatAnswer, startAnswer } from '../calls/calls.answers';
import { endCallBody, startCallBody } from '../calls/calls.schema';
import { errorBody, reasonPhrase } from '../http/error-body';
import { PROJECT_ROOT } from '../pages/source-files';
import { CUSTOMERS_TAG, privacyPaths } from '../privacy/privacy.openapi';
import { CALL_ROUTE_ERROR_STATUSES, describeStatus, ERROR_EXAMPLES, errorTable } from './error-statuses';

/** What the document depends on besides the schemas. */
export interface OpenApiSettings {
  /** The service's public address (PUBLIC_URL); unset, the server is relative to the document. */
  publicUrl?: string;
  /** The request body limit, named in the 413's description. */
  bodyLimitBytes: number;
}

const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const REQUEST_ID = { $ref: '#/components/headers/RequestId' };

/** The rate limit's fields, on every answer to an authenticated request of a limited organisation. */
const RATE_LIMIT_FIELDS = {
  RateLimit: { $ref: '#/components/headers/RateLimit' },
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' },
};

const DESCRIPTION = `Caller memory for contact centers and AI voice agents, in the hosted Sticky Calls API's wire format: \
\`POST /v1/calls/start\` when a call arrives (who is calling, how sure we are, what we remember), \
\`POST /v1/calls/end\` when it ends (what it was about, facts to remember).

**Keys.** \`Authorization: Bearer sk_test_…\` (or \`sk_prod_…\`), \`X-Api-Key\`, HTTP Basic with the key as user name \
or password, or the bare key as the whole \`Authorization\` value. Test keys see test data only.

**Bodies.** JSON; or \`application/x-www-form-urlencoded\` with bracket or dot keys (\`identity_hints[ani]=…\`, \
\`identity_hints.ani=…\`); a body that parses as a JSON object is JSON whatever its label (\`text/plain\`, a form label). \
Empty values and unsubstituted placeholders count as absent; unknown fields are ignored. Retries with the same body \
replay the first answer.

**Errors.** Every error answer is \`{"error": <reason phrase>, "message", "details": {"issues": [{"path", "message"}]}}\` \
and every answer carries \`X-Request-Id\`: quote it when reporting a problem. The \`Error\` schema lists every \
status with the codes behind it.

**Rate limit.** Requests per rolling minute per organisation (all its keys, test and prod, on /v1 and /graphql), \
with a 10% grace; past it, 429 with \`Retry-After\`. Answers carry \`RateLimit-Policy\` and \`RateLimit\` \
(draft-ietf-httpapi-ratelimit-headers).`;

const ERROR_DESCRIPTION = `The body of every error answer. \`error\` is the status's HTTP reason phrase; \`details.issues\` \
(on a 400) lists every problem found. The codes behind each status, as GraphQL reports them in \`extensions.code\` \
and the access log records them:

${errorTable()}`;

/** The error body as the document's `Error` component (made once: a component id is registered once). */
const documentedError = errorBody.meta({
  id: 'Error',
  description: ERROR_DESCRIPTION,
  example: { error: 'Bad Request', message: 'Validation failed', details: { issues: [{ path: ['call_id'], message: "Required field 'call_id' is missing" }] } },
});

/** The error responses of a route: each status with its reason phrase fixed and the codes it stands for. */
function errorResponses(bodyLimitBytes: number): ZodOpenApiResponsesObject {
  const headers: Record<number, Record<string, oas31.ReferenceObject>> = {
    401: { 'WWW-Authenticate': { $ref: '#/components/headers/WWWAuthenticate' } },
    405: { Allow: { $ref: '#/components/headers/Allow' } },
    429: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
    503: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
  };
  const extra: Record<number, string> = { 413: ` (this service: ${bodyLimitBytes} bytes)` };
  return Object.fromEntries(
    CALL_ROUTE_ERROR_STATUSES.map((status) => [
      String(status),
      {
        description: `${describeStatus(status)}${extra[status] ?? ''}.`,
        // A 401 comes before the rate limit: it is never counted and carries no RateLimit fields.
        headers: { 'X-Request-Id': REQUEST_ID, ...(status === 401 ? {} : RATE_LIMIT_FIELDS), ...headers[status] },
        content: {
          'application/json': {
            // The Error schema with `error` fixed to this status's reason phrase.
            schema: { allOf: [{ $ref: '#/components/schemas/Error' }], properties: { error: { const: reasonPhrase(status) } } },
            example: { error: reasonPhrase(status), message: ERROR_EXAMPLES[status] },
          },
        },
      },
    ]),
  );
}

/** The request body of a route: JSON, or the same fields form-encoded with bracket keys. */
function requestBody(schema: z.ZodType, examples: Record<string, unknown>) {
  const deep = { style: 'deepObject' as const, explode: true };
  return {
    required: true,
    content: {
      'application/json': { schema, examples: Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { value }])) },
      'application/x-www-form-urlencoded': {
        schema,
        encoding: { identity_hints: deep, external_ids: deep, telco: deep, variables: deep },
      },
    },
  };
}

function operation(parts: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  return { tags: ['calls'], ...parts };
}

/** The generated document. */
export type OpenApiDocument = ReturnType<typeof createDocument>;

/** Builds the document (once per app: it depends on the configuration only). */
export function openApiDocument({ publicUrl, bodyLimitBytes }: OpenApiSettings): OpenApiDocument {
  const errors = errorResponses(bodyLimitBytes);
  const ok = (description: string, schema: z.ZodType) => ({
    description,
    headers: { 'X-Request-Id': REQUEST_ID, ...RATE_LIMIT_FIELDS },
    content: { 'application/json': { schema } },
  });
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Caller Memory REST API', version: VERSION, description: DESCRIPTION },
    servers: [{ url: publicUrl ?? '/', description: publicUrl ? 'This service (PUBLIC_URL)' : 'This service (relative to this document)' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { basicAuth: [] }],
    tags: [{ name: 'calls', description: 'Identify callers at the start of a call, save what the call taught at its end.' }, CUSTOMERS_TAG],
    paths: {
      '/v1/calls/start': {
        post: operation({
          operationId: 'startCall',
          summary: 'Identify the caller and return what we remember',
          description:
            'Matches on `customer_ref`, then external ids, then the ANI, and answers with the confidence, open intents, variables and the `flat` block. The same `call_id` with the same hints replays the first answer; with other hints it is a 409.',
          requestParams: {
            query: z.object({
              format: z.enum(['flat']).optional().meta({
                description: '`flat`: answer with the flat block alone, every value a string (Amazon Connect STRING_MAP, Genesys data actions).',
              }),
            }),
          },
          requestBody: requestBody(startCallBody, {
            ivr: { call_id: 'call_001', identity_hints: { ani: '4155551234', dnis: '8005550100' } },
            crm: { call_id: 'call_002', identity_hints: { ani: '+14155551234', external_ids: { crm_id: 'C-1042' } }, telco: { line_type: 'mobile' } },
            llm_aliases: { call_id: 'session-7f3a', ani: '(415) 555-1234' },
          }),
          responses: {
            '200': ok('The caller as far as we know them; with `?format=flat`, the flat block alone (FlatStartAnswer).', z.union([startAnswer, flatAnswer])),
            ...errors,
          },
        }),
      },
      '/v1/calls/end': {
        post: operation({
          operationId: 'endCall',
          summary: 'Save what the call taught us',
          description:
            'Records the intent (normalised, attempts counted) and variables. The same body again replays the stored answer; a different body for an ended call is a 409.',
          requestBody: requestBody(endCallBody, {
            after_start: { call_id: 'call_001', customer_ref: '', intent: 'Refund Request', intent_status: 'resolved', variables: { name: 'John Doe' } },
            standalone: { call_id: 'call_003', identity_hints: { ani: '4155551234' }, intent: 'billing', intent_is_open: true },
          }),
          responses: { '200': ok('What was recorded.', endAnswer), ...errors },
        }),
      },
      ...privacyPaths(),
    },
    components: {
      schemas: { Error: documentedError },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer sk_test_…` (the documented way).' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        basicAuth: { type: 'http', scheme: 'basic', description: 'The key as user name (password empty) or as password; for clients that can only put credentials in the URL.' },
      },
      headers: {
        RequestId: { description: 'The id of this request: quote it when reporting a problem.', required: true, schema: { type: 'string', minLength: 1 } },
        WWWAuthenticate: {
          description: 'The challenges: `Bearer realm="caller-memory"` and `Basic realm="caller-memory", charset="UTF-8"` (Bearer alone to browsers: requests with `Sec-Fetch-*` headers or `Accept: text/html`).',
          required: true,
          schema: { type: 'string', pattern: '^Bearer realm="caller-memory"' },
        },
        Allow: { description: 'The methods the route takes.', required: true, schema: { type: 'string', const: 'POST' } },
        RetryAfter: { description: 'Seconds to wait before trying again.', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
        RateLimit: {
          description: 'What is left of the organisation’s rate limit: `r` requests now, `t` seconds until the window turns over (on a 429, until a request is admitted). Absent for an organisation without a limit.',
          required: false,
          schema: { type: 'string', pattern: '^"organisation";r=[0-9]+;t=[0-9]+$', example: '"organisation";r=6412;t=17' },
        },
        RateLimitPolicy: {
          description: 'The organisation’s rate limit: `q` requests (the limit with its 10% grace) per `w` seconds, rolling. Absent for an organisation without a limit.',
          required: false,
          schema: { type: 'string', pattern: '^"organisation";q=[0-9]+;w=[0-9]+$', example: '"organisation";q=6600;w=60' },
        },
      },
    },
  });
}
