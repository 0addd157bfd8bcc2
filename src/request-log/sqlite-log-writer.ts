/**
 * On a SQLite file, the request log's worker (worker-log-writer.ts) writes into the request log's own
 * file (request-log-file.ts) with a connection of its own. Reads, the retention purge and an erase's
 * deletes stay on the ORM's connection, which has the file attached; they take its write lock in turn
 * with the worker (busy_timeout), which holds it one batch at a time.
 */
import { SQLITE } from '../db/sql';
import { insertApiRequestsText } from './api-request.sql';
import { WorkerLogWriter } from './worker-log-writer';

/** Entries per multi-row insert in the workers (the rest one by one). */
export const ROWS_PER_INSERT = 25;

/**
 * Most entries per transaction. A commit writes each index page its rows touched, and call ids land on
 * random pages: the more entries per commit, the fewer pages per entry. The transaction holds only the
 * request log's file (an erase or a purge waits for it), so it can take what half a second brings at a
 * few thousand requests a second.
 */
export const WORKER_BATCH = 2000;

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('secure_delete = ON');
db.pragma('journal_size_limit = ' + workerData.walLimitBytes);
let many, one;
const write = db.transaction((rows) => {
  many ??= db.prepare(workerData.insertMany);
  one ??= db.prepare(workerData.insertOne);
  let at = 0;
  for (; rows.length - at >= workerData.many; at += workerData.many) many.run(rows.slice(at, at + workerData.many).flat());
  for (; at < rows.length; at += 1) one.run(rows[at]);
});
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    write(message.rows);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    many = one = undefined;
    parentPort.postMessage({ id: message.id, failure: { name: error.name, code: error.code } });
  }
});
`;

/** The writer into the request log's file at `path`. */
export function sqliteLogWriter(path: string, walLimitBytes: number): WorkerLogWriter {
  return new WorkerLogWriter({
    source: SOURCE,
    dialect: SQLITE,
    batchSize: WORKER_BATCH,
    workerData: {
      path,
      walLimitBytes,
      insertMany: insertApiRequestsText(ROWS_PER_INSERT),
      many: ROWS_PER_INSERT,
      insertOne: insertApiRequestsText(1),
      driver: require.resolve('better-sqlite3'),
    },
  });
}
