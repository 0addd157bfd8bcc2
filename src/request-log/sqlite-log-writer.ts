/**
 * On a SQLite file, the request log's worker (worker-log-writer.ts) writes into the request log's own
 * file (request-log-file.ts) with a connection of its own. Reads, the retention purge and an erase's
 * deletes stay on the ORM's connection, which has the file attached; they take its write lock in turn
 * with the worker (busy_timeout), which holds it for one commit at a time.
 */
import { SQLITE } from '../db/sql';
import { insertApiRequestsTexts } from './api-request.sql';
import { WORKER_HOLDING, WorkerLogWriter } from './worker-log-writer';

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('secure_delete = ON');
db.pragma('journal_size_limit = ' + workerData.walLimitBytes);
let prepared = {};
const write = db.transaction((batches) => {
  for (const batch of batches) for (const run of batch.runs) (prepared[run.rows] ??= db.prepare(workerData.inserts[run.rows])).run(run.params);
});
${WORKER_HOLDING}
function commitHeld() {
  const batches = takeHeld();
  if (batches.length === 0) return;
  const ids = batches.map((batch) => batch.id);
  try {
    write(batches);
    parentPort.postMessage({ ids });
  } catch (error) {
    prepared = {};
    parentPort.postMessage({ ids, failure: { name: error.name, code: error.code } });
  }
}
parentPort.on('message', (message) => {
  if (message === 'flush') return commitHeld();
  if (message === 'close') {
    commitHeld();
    db.close();
    parentPort.close();
    return;
  }
  hold(message);
});
`;

/** The writer into the request log's file at `path`; `commitMs`: how long its worker holds entries (default WORKER_COMMIT_MS). */
export function sqliteLogWriter(path: string, walLimitBytes: number, commitMs?: number): WorkerLogWriter {
  return new WorkerLogWriter({
    source: SOURCE,
    commitMs,
    dialect: SQLITE,
    workerData: { path, walLimitBytes, inserts: insertApiRequestsTexts(), driver: require.resolve('better-sqlite3') },
  });
}
