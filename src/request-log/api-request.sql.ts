/**
 * The request log's writes: entries inserted many rows per statement in one short transaction (on SQLite
 * a unit of the next group commit, db/group-commit.ts), and the retention purge in small batches.
 * Statements come in three sizes only (25, 5 and 1 rows), so each engine prepares three texts, not one
 * per batch length.
 */
import type { EntityManager } from '@mikro-orm/core';

import { inTransaction, settled, type Dialect, type Sql } from '../db/sql';
import { deleteInTenantBatches } from '../maintenance/tenant-batches';
import { newRowId } from '../shared/row-id';
import { Environment, type Tenant } from '../tenancy/environment';
import { tenantParams, tenantWhere } from '../tenancy/tenant-sql';

/** One row of api_requests, as the writer builds it. */
export interface ApiRequestRow {
  organisationId: string;
  environment: Environment;
  at: Date;
  keyId: string;
  method: string;
  route: string;
  status: number;
  latencyMs: number;
  callId: string | null;
  requestId: string;
  errorCode: string | null;
  issues: string | null;
  requestBody: string | null;
  responseBody: string | null;
}

const COLUMNS = [
  'id',
  'organisation_id',
  'environment',
  'at',
  'key_id',
  'method',
  'route',
  'status',
  'latency_ms',
  'call_id',
  'request_id',
  'error_code',
  'issues',
  'request_body',
  'response_body',
];

const ROW = `(${COLUMNS.map(() => '?').join(', ')})`;
const CHUNKS = [25, 5, 1];
const INSERTS = new Map(CHUNKS.map((n) => [n, `insert into api_requests (${COLUMNS.join(', ')}) values ${Array(n).fill(ROW).join(', ')}`]));

/** One insert of a batch: how many entries (25, 5 or 1) and their parameters, in order. */
export interface InsertRun {
  rows: number;
  params: unknown[];
}

/**
 * The COPY that writes entries with their columns in the order of an insert's parameters, and how many
 * columns a row has (PostgreSQL's worker: pg-log-writer.ts).
 */
export function copyApiRequests(): { text: string; columns: number } {
  return { text: `copy api_requests (${COLUMNS.join(', ')}) from stdin`, columns: COLUMNS.length };
}

/** The insert texts by entries per statement, `?` placeholders (SQLite's worker prepares its own: sqlite-log-writer.ts). */
export function insertApiRequestsTexts(): Record<number, string> {
  return Object.fromEntries(INSERTS);
}

/**
 * A batch as inserts: runs of 25 entries, then 5, then 1, so each engine prepares three texts, not one
 * per batch length. Every writer inserts a batch this way.
 */
export function insertRuns(dialect: Dialect, rows: readonly ApiRequestRow[]): InsertRun[] {
  const runs: InsertRun[] = [];
  let at = 0;
  for (const size of CHUNKS) {
    for (; rows.length - at >= size; at += size) runs.push({ rows: size, params: rows.slice(at, at + size).flatMap((row) => apiRequestParams(dialect, row)) });
  }
  return runs;
}

/** Where the request log's batches go: a worker thread (worker-log-writer.ts), or the ORM's connection. */
export interface ApiRequestWriter {
  /** Most entries it takes in one call. */
  readonly batchSize: number;
  /** How long entries wait in the request log's queue before they are handed over (request-log.ts). */
  readonly handOverMs: number;
  /**
   * Takes the rows; resolves once they are written in one transaction (with others handed over around
   * them, for a worker), or rejects when they were not: none of them is then stored. Calls may overlap.
   */
  insert(rows: readonly ApiRequestRow[]): Promise<void>;
  /** Writes what it holds now instead of at its next commit. */
  flush(): void;
  /** Ends the writer once what it was given is written. */
  close(): Promise<void>;
}

/** How long entries wait in the queue before the ORM's connection writes them. */
export const ORM_WRITE_INTERVAL_MS = 500;

/** Most entries written in one transaction on the ORM's connection (a worker takes more: WORKER_BATCH). */
export const ORM_WRITE_BATCH = 200;

/**
 * The writer over the ORM's connection (an in-memory SQLite database; a RequestLog built without a writer):
 * one transaction at a time, in the order the batches came.
 */
export function ormApiRequestWriter(em: EntityManager): ApiRequestWriter {
  let last: Promise<unknown> = Promise.resolve();
  return {
    batchSize: ORM_WRITE_BATCH,
    handOverMs: ORM_WRITE_INTERVAL_MS,
    insert(rows) {
      const written = last.then(() => insertApiRequests(em.fork(), rows));
      last = written.catch(() => undefined);
      return written;
    },
    flush: () => undefined,
    close: () => last.then(() => undefined),
  };
}

/** An entry's parameters for the inserts, in `dialect`'s types. */
function apiRequestParams(dialect: Dialect, row: ApiRequestRow): unknown[] {
  return [
    newRowId(row.at.getTime()),
    row.organisationId,
    row.environment,
    dialect.date(row.at),
    row.keyId,
    row.method.slice(0, 8),
    row.route.slice(0, 100),
    row.status,
    row.latencyMs,
    row.callId?.slice(0, 256) ?? null,
    row.requestId.slice(0, 128),
    row.errorCode?.slice(0, 64) ?? null,
    row.issues,
    row.requestBody,
    row.responseBody,
  ];
}

/** Inserts the rows in one transaction: all of them, or (when it fails) none. */
export function insertApiRequests(em: EntityManager, rows: readonly ApiRequestRow[]): Promise<void> {
  return inTransaction(em, async (sql) => {
    const statements = insertRuns(sql.dialect, rows).map((run) => sql.run(INSERTS.get(run.rows)!, run.params));
    await sql.last(settled(statements));
  });
}

/** Call ids per delete statement of an erase. */
const CALL_IDS_PER_DELETE = 200;

/**
 * Deletes the tenant's entries of these calls (an erase: what was sent about an erased customer's calls
 * goes with them). `callIds` are as the log stores them, masked (request-log/capture.ts).
 */
export async function deleteApiRequestsOfCalls(sql: Sql, tenant: Tenant, callIds: readonly string[]): Promise<number> {
  let deleted = 0;
  for (let at = 0; at < callIds.length; at += CALL_IDS_PER_DELETE) {
    const batch = callIds.slice(at, at + CALL_IDS_PER_DELETE);
    deleted += await sql.run(`delete from api_requests where ${tenantWhere()} and call_id in (${batch.map(() => '?').join(', ')})`, [...tenantParams(tenant), ...batch]);
  }
  return deleted;
}

/** Entries deleted per batch unless told otherwise. */
export const DEFAULT_REQUEST_LOG_PURGE_BATCH = 1000;

const DELETE_BATCH = `delete from api_requests where id in (
  select id from api_requests where organisation_id = ? and environment = ? and at < ? limit ?)`;

/**
 * Deletes every entry older than `now - retentionMs`, tenant by tenant (the index leads with organisation,
 * environment, at), each batch its own short transaction; returns how many.
 */
export async function purgeOldApiRequests(em: EntityManager, retentionMs: number, now: Date, batchSize = DEFAULT_REQUEST_LOG_PURGE_BATCH): Promise<number> {
  return deleteInTenantBatches(em, DELETE_BATCH, new Date(now.getTime() - retentionMs), batchSize);
}
