/**
 * `npm run logs -- --organisation acme [--environment test|prod] [--call-id X] [--status 4xx|404]
 * [--route /v1/calls/start] [--since 1h] [--limit 50] [--json]`: the request log of one organisation and
 * environment (test by default), newest first, one line per entry (or one JSON object per line with
 * --json). What it prints is what the log stores: numbers and variable values already masked.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';

import type { EntityManager } from '@mikro-orm/core';

import { AppError } from '../errors/app-error';
import { searchApiRequests } from '../request-log/api-request-filter';
import type { ApiRequest } from '../request-log/api-request.entity';
import { apiRequestView } from '../request-log/api-request.types';
import { ApiKeyService } from '../tenancy/api-key.service';
import { Environment, type Tenant } from '../tenancy/environment';
import { TENANT_FILTER } from '../tenancy/tenant-scoped.entity';
import { runCli } from './run-cli';

const USAGE = `Usage: npm run logs -- --organisation <slug> [--environment test|prod] [--call-id <id>]
  [--status <404|4xx>] [--route </v1/calls/start>] [--since <30m|1h|7d>] [--limit <1-1000, default 50>] [--json]`;

type Output = (line: string) => void;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function invalid(flag: string, message: string): AppError {
  return AppError.validation([{ path: [flag], message }]);
}

/** `30m`, `1h`, `7d`: how far back. */
export function sinceMs(value: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value.trim());
  if (!match) throw invalid('since', '--since must be a number and a unit: 30s, 15m, 1h or 7d');
  return Number(match[1]) * UNITS[match[2]];
}

function environmentOf(value: string | undefined): Environment {
  if (value === undefined || value === 'test') return Environment.TEST;
  if (value === 'prod') return Environment.PROD;
  throw invalid('environment', '--environment must be test or prod');
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return 50;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid('limit', '--limit must be a whole number from 1 to 1000');
  return limit;
}

/** One entry as a line: time, method, route, status, latency, then what is known. */
function line(row: ApiRequest): string {
  const view = apiRequestView(row);
  const parts = [view.at.toISOString(), view.method, view.route, String(view.status), `${view.latencyMs.toFixed(1)}ms`];
  if (view.callId) parts.push(`call_id=${view.callId}`);
  parts.push(`request_id=${view.requestId}`, `key=${view.keyId}`);
  if (view.errorCode) parts.push(view.errorCode);
  if (view.issues.length > 0) parts.push(`issues: ${view.issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
  return parts.join('  ');
}

/** Runs the command against the database; returns the process exit code. */
export async function runLogsCommand(em: EntityManager, keys: ApiKeyService, argv: string[], out: Output, now = new Date()): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      organisation: { type: 'string' },
      environment: { type: 'string' },
      'call-id': { type: 'string' },
      status: { type: 'string' },
      route: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.organisation) {
    out(USAGE);
    return values.help ? 0 : 64; // EX_USAGE
  }
  const organisation = await keys.organisation(em, values.organisation);
  const tenant: Tenant = { organisationId: organisation.id, environment: environmentOf(values.environment) };
  em.setFilterParams(TENANT_FILTER, tenant);
  const search = {
    status: values.status,
    route: values.route,
    callId: values['call-id'],
    from: values.since ? new Date(now.getTime() - sinceMs(values.since)) : undefined,
  };
  const { rows } = await searchApiRequests(em, tenant, search, { size: limitOf(values.limit), backward: false });
  for (const row of rows.slice(0, limitOf(values.limit))) out(values.json ? JSON.stringify(apiRequestView(row)) : line(row));
  return 0;
}

if (require.main === module) runCli('caller-memory logs', runLogsCommand);
