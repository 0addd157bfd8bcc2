/**
 * On a SQLite file, the request log's worker (worker-log-writer.ts) writes into the request log's own
 * file (request-log-file.ts) with a connection of its own. Reads, the retention purge and an erase's
 * deletes stay on the ORM's connection, which has the file attached; they take its write lock in turn
 * with the worker (busy_timeout), which holds it one batch at a time.
 */
import { SQLITE } from '../db/sql';
import { insertApiRequestsTexts } from './api-request.sql';
import { WorkerLogWriter } from './worker-log-writer';

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
const write = db.transaction((runs) => {
  for (const run of runs) (prepared[run.rows] ??= db.prepare(workerData.inserts[run.rows])).run(run.params);
});
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    write(message.runs);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    prepared = {};
    parentPort.postMessage({ id: message.id, failure: { name: error.name, code: error.code } });
  }
});
`;

/** The writer into the request log's file at `path`. */
export function sqliteLogWriter(path: string, walLimitBytes: number): WorkerLogWriter {
  return new WorkerLogWriter({
    source: SOURCE,
    dialect: SQLITE,
    workerData: { path, walLimitBytes, inserts: insertApiRequestsTexts(), driver: require.resolve('better-sqlite3') },
  });
}
