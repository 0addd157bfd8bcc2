/** The GraphQL face of the request log (api-request.resolver.ts): an entry, its issues, and the search filter. */
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

import { PageInfo } from '../graphql/connection';
import { Environment } from '../tenancy/environment';
import { STATUS_PATTERN, STATUS_RULE } from './api-request-filter';
import type { ApiRequest } from './api-request.entity';
import type { LoggedIssue } from './mask-body';

@ObjectType({ description: 'One validation issue of a refused request: where the input was wrong and why, never the value sent.' })
export class ApiRequestIssue {
  @Field({ description: 'Where, as dotted keys and indexes (`identity_hints.ani`, `variables.*`); a key that is not a plain name is shown as `*`.' })
  path!: string;

  @Field({ description: 'Why, as the answer said it, with any quoted value, phone number or secret masked.' })
  message!: string;
}

@ObjectType('ApiRequest', {
  description:
    'One /v1 request as the request log keeps it, for REQUEST_LOG_RETENTION_DAYS: what was asked and answered, with phone numbers and variable values masked. Unauthenticated requests (401) are not recorded.',
})
export class ApiRequestView {
  @Field(() => ID, { description: 'Stable identifier of the entry.' })
  id!: string;

  @Field(() => Date, { description: 'When the request arrived.' })
  at!: Date;

  @Field({ description: 'The HTTP method.' })
  method!: string;

  @Field({ description: 'The route pattern the request matched (`/v1/calls/start`, `/v1/customers/:ref`), never the raw path; `(unmatched)` for a path that matches none.' })
  route!: string;

  @Field(() => Int, { description: 'The HTTP status answered.' })
  status!: number;

  @Field(() => Float, { description: 'Milliseconds from the request’s arrival to the end of its answer.' })
  latencyMs!: number;

  @Field(() => String, { nullable: true, description: 'The `call_id` the request was about, with any phone number in it masked; null when it named none (or an invalid one).' })
  callId!: string | null;

  @Field({ description: 'The request id (`X-Request-Id`) answered, to match the access log and support questions.' })
  requestId!: string;

  @Field(() => ID, { description: 'The id of the API key that made the request.' })
  keyId!: string;

  @Field(() => Environment, { description: 'The key’s environment.' })
  environment!: Environment;

  @Field(() => String, { nullable: true, description: 'The error code of a refused request (BAD_USER_INPUT, NOT_FOUND, CONFLICT…); null on success.' })
  errorCode!: string | null;

  @Field(() => [ApiRequestIssue], { description: 'On a 4xx: the validation issues the answer listed (paths and messages); empty otherwise.' })
  issues!: LoggedIssue[];

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'The request body as received, masked (numbers, variable values, tokens and keys); null unless the organisation keeps bodies (off by default).',
  })
  requestBody!: unknown;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'The answer’s body, masked like the request’s; null unless the organisation keeps bodies, and never kept for a customer export.',
  })
  responseBody!: unknown;
}

function parsed<T>(text: string | null | undefined, empty: T): T {
  if (text == null) return empty;
  try {
    return JSON.parse(text) as T;
  } catch {
    return empty;
  }
}

/** An entry as GraphQL shows it. */
export function apiRequestView(row: ApiRequest): ApiRequestView {
  return {
    id: row.id,
    at: row.at,
    method: row.method,
    route: row.route,
    status: row.status,
    latencyMs: row.latencyMs,
    callId: row.callId ?? null,
    requestId: row.requestId,
    keyId: row.keyId,
    environment: row.environment,
    errorCode: row.errorCode ?? null,
    issues: parsed<LoggedIssue[]>(row.issues, []),
    requestBody: parsed<unknown>(row.requestBody, null),
    responseBody: parsed<unknown>(row.responseBody, null),
  };
}

// A page rather than a Relay connection of `Node`s, like the privacy audit's: entries are no `Node`s, so
// `node(id:)` (open to every key of the tenant) can never reach these admin-only rows.
@ObjectType({ description: 'A page of request-log entries, newest first; page on with `pageInfo.endCursor` as `after`.' })
export class ApiRequestsPayload {
  @Field(() => [ApiRequestView], { description: 'The entries on this page, newest first.' })
  items!: ApiRequestView[];

  @Field(() => PageInfo, { description: 'Where this page starts and ends, and whether more lie either side.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many entries match the filter, across all pages.' })
  totalCount!: number;
}

@InputType({ description: 'Which request-log entries to list; every given condition must hold.' })
export class ApiRequestFilter {
  @Field(() => String, { nullable: true, description: 'An HTTP status (`404`) or a class of them (`4xx`, `5xx`).' })
  @IsOptional()
  @Matches(STATUS_PATTERN, { message: STATUS_RULE })
  status?: string | null;

  @Field(() => String, { nullable: true, description: 'A route pattern, exactly as entries show it (`/v1/calls/start`).' })
  @IsOptional()
  @MaxLength(100)
  route?: string | null;

  @Field(() => String, { nullable: true, description: 'The call id the requests were about, as the platform sent it (masked here the way entries are).' })
  @IsOptional()
  @MaxLength(256)
  callId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Requests that arrived at or after this time.' })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Requests that arrived before this time.' })
  @IsOptional()
  to?: Date | null;
}
